using Dockerless.Running;

namespace Dockerless.Tests.Running;

/// <summary>Arguments, environment and working directory decided as docker's daemon decides them.</summary>
public class ProcessSettingsTests
{
    private static ContainerConfig Config(string[]? entrypoint, string[]? cmd, params string[] env)
    {
        var config = new ContainerConfig { Entrypoint = entrypoint, Cmd = cmd };
        foreach (var variable in env) config.Env.Add(variable);
        return config;
    }

    [Theory]
    [InlineData(new[] { "/ep" }, new[] { "cmd" }, new string[0], null, new[] { "/ep", "cmd" })]
    [InlineData(new[] { "/ep" }, new[] { "cmd" }, new[] { "given" }, null, new[] { "/ep", "given" })]
    [InlineData(new[] { "/ep" }, new[] { "cmd" }, new string[0], new[] { "/other" }, new[] { "/other" })]
    [InlineData(new[] { "/ep" }, new[] { "cmd" }, new[] { "given" }, new[] { "/other" }, new[] { "/other", "given" })]
    [InlineData(new[] { "/ep" }, new[] { "cmd" }, new[] { "given" }, new string[0], new[] { "given" })]
    [InlineData(null, new[] { "cmd", "arg" }, new string[0], null, new[] { "cmd", "arg" })]
    public void Arguments_are_the_entrypoint_then_the_command(string[]? entrypoint, string[]? cmd, string[] command, string[]? overridden, string[] expected)
        => Assert.Equal(expected, ProcessSettings.Arguments(Config(entrypoint, cmd), command, overridden));

    [Fact]
    public void No_command_at_all_is_refused()
        => Assert.StartsWith("no command specified", Assert.Throws<ContainerConfigurationException>(() => ProcessSettings.Arguments(Config(null, null), [], null)).Message, StringComparison.Ordinal);

    [Fact]
    public void An_empty_entrypoint_drops_the_cmd_too_as_in_docker()
        => Assert.Throws<ContainerConfigurationException>(() => ProcessSettings.Arguments(Config(["/ep"], ["cmd"]), [], []));

    [Fact]
    public void The_environment_is_dockers_defaults_then_the_images_then_the_overrides()
    {
        var config = Config(null, null, "A=image", "B=image", "PATH=/image/bin");
        Assert.Equal(
            ["PATH=/image/bin", "HOSTNAME=abc", "B=given", "C=given", "A=image", "HOME=/home/app"],
            ProcessSettings.Environment(config, ["B=given", "C=given"], "abc", terminal: false, "/home/app"));
    }

    [Fact]
    public void Without_a_path_docker_gives_its_own_and_a_bare_name_unsets_and_a_terminal_sets_term()
    {
        var config = Config(null, null, "HOME=/image/home", "A=1");
        Assert.Equal(
            ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "HOME=/image/home"],
            ProcessSettings.Environment(config, ["A", "HOSTNAME"], "abc", terminal: true, "/root"));
    }

    [Theory]
    [InlineData(null, null, "/")]
    [InlineData("/app/./x/../y/", null, "/app/y")]
    [InlineData("relative", null, "/relative")]
    [InlineData("/image", "/given//dir", "/given/dir")]
    public void The_working_directory_is_clean_and_absolute(string? image, string? given, string expected)
        => Assert.Equal(expected, ProcessSettings.WorkingDirectory(new ContainerConfig { WorkingDir = image }, given));

    [Fact]
    public void A_relative_working_directory_given_is_refused()
        => Assert.Contains("needs to be an absolute path", Assert.Throws<ContainerConfigurationException>(() => ProcessSettings.WorkingDirectory(new ContainerConfig(), "x")).Message, StringComparison.Ordinal);
}
