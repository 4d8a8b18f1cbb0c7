using System.Text;

namespace Dockerless.Tests.Images;

/// <summary>ExposedPorts and Volumes: ordered sets of strings, written as Docker's JSON objects of empty objects.</summary>
public class PortAndVolumeSetTests
{
    private static (Image Image, byte[] Bytes) Load(string config)
    {
        var bytes = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{{{config}}},"rootfs":{"type":"layers","diff_ids":[]}}""");
        return (Image.FromParts(bytes, [], "base.tar"), bytes);
    }

    private static string ConfigJson(Image image)
    {
        var json = Encoding.UTF8.GetString(image.GetConfigBytes());
        var start = json.IndexOf("\"config\":", StringComparison.Ordinal) + "\"config\":".Length;
        return json[start..json.IndexOf(",\"rootfs\"", StringComparison.Ordinal)];
    }

    [Fact]
    public void Ports_and_volumes_read_as_their_keys_in_order()
    {
        var (image, _) = Load("""{"ExposedPorts":{"8080/tcp":{},"53/udp":{ }},"Volumes":{"/data":{},"/cache":{}}}""");
        Assert.Equal(["8080/tcp", "53/udp"], image.Config.ExposedPorts);
        Assert.Equal(["/data", "/cache"], image.Config.Volumes);
    }

    /// <summary>
    /// Docker's values are always empty objects; another value is not Dockerless's to drop: the
    /// original bytes stay while nothing is edited, and an edit elsewhere writes it back.
    /// </summary>
    [Fact]
    public void A_value_that_is_not_an_empty_object_is_kept_while_its_key_stays()
    {
        var (image, bytes) = Load("""{"ExposedPorts":{"80/tcp":{"HostPort":"8080"},"443/tcp":null},"Volumes":{"/data":{"x":[1]}}}""");
        Assert.Same(bytes, image.GetConfigBytes());
        image.Config.Env.Add("A=1");
        Assert.Equal("""{"ExposedPorts":{"80/tcp":{"HostPort":"8080"},"443/tcp":null},"Env":["A=1"],"Entrypoint":null,"Cmd":null,"Volumes":{"/data":{"x":[1]}}}""", ConfigJson(image));
        image.Config.ExposedPorts.Remove("80/tcp");
        image.Config.ExposedPorts.Add("80/tcp");
        image.Config.Volumes.Add("/logs");
        Assert.Equal("""{"ExposedPorts":{"443/tcp":null,"80/tcp":{}},"Env":["A=1"],"Entrypoint":null,"Cmd":null,"Volumes":{"/data":{"x":[1]},"/logs":{}}}""", ConfigJson(image));
    }

    [Fact]
    public void An_empty_set_is_written_only_when_read_or_set_so()
    {
        var (image, _) = Load("""{"ExposedPorts":{},"Volumes":null}""");
        image.Config.User = "1";
        image.Config.Volumes.Add("/data");
        image.Config.Volumes.Remove("/data");
        Assert.Equal("""{"User":"1","ExposedPorts":{},"Env":[],"Entrypoint":null,"Cmd":null}""", ConfigJson(image));
        image.Config.ExposedPorts = null;
        image.Config.Volumes = new HashSet<string>();
        Assert.Equal("""{"User":"1","Env":[],"Entrypoint":null,"Cmd":null,"Volumes":{}}""", ConfigJson(image));
    }

    [Theory]
    [InlineData("""{"ExposedPorts":["80/tcp"]}""")]
    [InlineData("""{"Volumes":"/data"}""")]
    public void A_set_that_is_not_a_json_object_is_a_format_error(string config)
        => Assert.Contains("base.tar", Assert.Throws<InvalidImageFormatException>(() => Load(config)).Message, StringComparison.Ordinal);

    [Fact]
    public void The_set_keeps_the_order_items_were_added_in()
    {
        var set = new KeySet(["b", "a"]);
        Assert.False(set.Add("b"));
        Assert.True(set.Add("c"));
        set.SymmetricExceptWith(["a", "d", "d"]);
        Assert.Equal(["b", "c", "d"], set);
        set.UnionWith(set);
        set.IntersectWith(["d", "b", "x"]);
        Assert.Equal(["b", "d"], set);
        set.ExceptWith(set);
        Assert.Empty(set);
    }

    [Fact]
    public void Set_comparisons_are_those_of_iset()
    {
        var set = new KeySet(["a", "b"]);
        Assert.True(set.IsSubsetOf(["b", "a", "a"]));
        Assert.False(set.IsProperSubsetOf(["b", "a"]));
        Assert.True(set.IsProperSubsetOf(["b", "a", "c"]));
        Assert.True(set.IsSupersetOf(["a"]));
        Assert.True(set.IsProperSupersetOf(["a", "a"]));
        Assert.False(set.IsProperSupersetOf(["a", "b"]));
        Assert.True(set.Overlaps(["x", "b"]));
        Assert.False(set.Overlaps([]));
        Assert.True(set.SetEquals(["b", "a", "b"]));
        Assert.Throws<ArgumentNullException>(() => set.Add(null!));
    }
}
