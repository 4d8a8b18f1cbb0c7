using System.Text;

namespace Dockerless.Tests.Images;

/// <summary>The JSON an edited config is written as: every field Dockerless models, in its order, with what it does not model kept.</summary>
public class ConfigurationJsonTests
{
    // Every field, a Go nanosecond time, durations that are not whole 100 ns ticks, unknown fields at each level.
    private const string RichConfig = """
        {"architecture":"arm64","variant":"v8","os":"linux","os.version":"1","os.features":["f"],"author":"me","created":"2024-01-02T03:04:05.123456789Z",
         "config":{"Hostname":"h","User":"1:1","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Env":["PATH=/bin"],"Entrypoint":["/bin/sh"],"Cmd":["-c","x"],
          "Healthcheck":{"Test":["CMD","true"],"Interval":30000000000,"Timeout":1000000050,"StartPeriod":0,"StartInterval":5,"Retries":3,"Extra":1},
          "Volumes":{"/data":{}},"WorkingDir":"/app","Labels":{"b":"2","a":"1"},"StopSignal":"SIGTERM","Shell":["/bin/bash","-c"],"OnBuild":["RUN x"],"ArgsEscaped":true},
         "rootfs":{"type":"layers","diff_ids":[],"x":1},
         "history":[{"created":"2024-01-02T03:04:05Z","created_by":"ADD","author":"a","comment":"c","empty_layer":true,"y":2}],
         "docker_version":"20"}
        """;

    private const string RichConfigEdited =
        """{"created":"2024-01-02T03:04:05.123456789Z","author":"me","architecture":"arm64","variant":"v8","os":"linux","os.version":"1","os.features":["f"],"config":{"User":"1:1","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Env":["PATH=/bin","FOO=BAR"],"Entrypoint":["/bin/sh"],"Cmd":["-c","x"],"Volumes":{"/data":{}},"WorkingDir":"/app","Labels":{"b":"2","a":"1"},"StopSignal":"SIGTERM","Healthcheck":{"Test":["CMD","true"],"Interval":30000000000,"Timeout":1000000050,"StartPeriod":0,"StartInterval":5,"Retries":3,"Extra":1},"Shell":["/bin/bash","-c"],"OnBuild":["RUN x"],"Hostname":"h","ArgsEscaped":true},"rootfs":{"type":"layers","diff_ids":[],"x":1},"history":[{"created":"2024-01-02T03:04:05Z","created_by":"ADD","author":"a","comment":"c","empty_layer":true,"y":2}],"docker_version":"20"}""";

    private static string EditedJson(string config)
    {
        var image = Image.FromParts(Encoding.UTF8.GetBytes(config), [], "test");
        image.Config.Env.Add("FOO=BAR");
        return Encoding.UTF8.GetString(image.GetConfigBytes());
    }

    [Fact]
    public void An_edited_config_writes_every_field_it_read()
        => Assert.Equal(RichConfigEdited, EditedJson(RichConfig));

    /// <summary>Empty objects read stay; nulls read are left out, except Entrypoint and Cmd, which Docker writes as null.</summary>
    [Fact]
    public void An_edited_config_writes_empty_and_null_fields_as_read()
    {
        const string config = """{"architecture":"amd64","os":"linux","config":{"Labels":{},"ExposedPorts":{},"Volumes":null,"Env":null,"Cmd":null,"Healthcheck":null},"rootfs":{"type":"layers","diff_ids":[]}}""";
        Assert.Equal(
            """{"architecture":"amd64","os":"linux","config":{"ExposedPorts":{},"Env":["FOO=BAR"],"Entrypoint":null,"Cmd":null,"Labels":{}},"rootfs":{"type":"layers","diff_ids":[]}}""",
            EditedJson(config));
    }

    [Fact]
    public void A_new_config_writes_what_docker_needs()
    {
        var image = Image.Scratch("app", "1", Platform.Parse("linux/amd64"));
        image.Created = DateTimeOffset.UnixEpoch;
        Assert.Equal(
            """{"created":"1970-01-01T00:00:00Z","architecture":"amd64","os":"linux","config":{"Env":[],"Entrypoint":null,"Cmd":null},"rootfs":{"type":"layers","diff_ids":[]}}""",
            Encoding.UTF8.GetString(image.GetConfigBytes()));
    }
}
