using Dockerless.Running;

namespace Dockerless.Tests.Running;

/// <summary>User specs resolved as docker resolves them (moby's GetExecUser, with the primary group first among the additional ones).</summary>
public class ImageUserTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/sh\n# a comment\napp:x:1000:1000:App:/home/app:/bin/sh\nshort:x:1001\n";
    private const string Group = "root:x:0:\napp:x:1000:\nextra:x:2000:app,other\nmore:x:3000:app\n";

    [Theory]
    [InlineData(null, 0u, 0u, new uint[] { 0 }, "/root")]
    [InlineData("", 0u, 0u, new uint[] { 0 }, "/root")]
    [InlineData("app", 1000u, 1000u, new uint[] { 1000, 2000, 3000 }, "/home/app")]
    [InlineData("1000", 1000u, 1000u, new uint[] { 1000, 2000, 3000 }, "/home/app")]
    [InlineData("app:extra", 1000u, 2000u, new uint[] { 2000 }, "/home/app")]
    [InlineData("app:2000", 1000u, 2000u, new uint[] { 2000 }, "/home/app")]
    [InlineData("1000:1000", 1000u, 1000u, new uint[] { 1000 }, "/home/app")]
    [InlineData("app:4000", 1000u, 4000u, new uint[] { 4000 }, "/home/app")]
    [InlineData("5555", 5555u, 0u, new uint[] { 0 }, "/")]
    [InlineData("5555:extra", 5555u, 2000u, new uint[] { 2000 }, "/")]
    [InlineData("short", 1001u, 0u, new uint[] { 0 }, "/")]
    public void A_spec_resolves_as_in_docker(string? spec, uint uid, uint gid, uint[] groups, string home)
    {
        var user = ImageUser.Resolve(spec, Passwd, Group);
        Assert.Equal((uid, gid, home), (user.Uid, user.Gid, user.Home));
        Assert.Equal(groups, user.AdditionalGids);
    }

    [Theory]
    [InlineData("nobody", "unable to find user nobody: no matching entries in passwd file")]
    [InlineData("app:nogroup", "unable to find group nogroup: no matching entries in group file")]
    public void A_name_the_image_lacks_is_refused_as_docker_refuses_it(string spec, string message)
        => Assert.Equal(message, Assert.Throws<ContainerConfigurationException>(() => ImageUser.Resolve(spec, Passwd, Group)).Message);

    [Fact]
    public void Without_passwd_and_group_files_only_numbers_resolve()
    {
        Assert.Equal((1000u, 1000u, "/"), ImageUser.Resolve("1000:1000", null, null) is var u ? (u.Uid, u.Gid, u.Home) : default);
        Assert.Throws<ContainerConfigurationException>(() => ImageUser.Resolve("app", null, null));
    }
}
