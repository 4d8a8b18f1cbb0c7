using Dockerless.Cli;
using Dockerless.Cli.Commands;

namespace Dockerless.Tests.Cli;

/// <summary>Parsing and exit codes, in process (the integration tests run the built tool itself).</summary>
public class CommandLineTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("build", "--no-such-flag", "dir", "-t", "docker-archive:x.tar")]
    [InlineData("build", "dir")]
    [InlineData("copy", "onlyone")]
    [InlineData("pull", "app", "x.tar", "--format", "zip")]
    [InlineData("run", "scratch", "--engine", "lxc")]
    [InlineData("--jobs", "0", "digest", "scratch")]
    public async Task Usage_errors_exit_2_with_one_line_on_stderr(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dockerless: ", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--jobs abc", "ls", "x", "--jobs", "abc")]
    [InlineData("--jobs 99999999999", "--jobs", "99999999999", "ls", "x")]
    [InlineData("--jobs 0", "--jobs", "0", "digest", "scratch")]
    [InlineData("--jobs -2", "digest", "scratch", "--jobs", "-2")]
    [InlineData("--jobs 1.5", "digest", "scratch", "--jobs", "1.5")]
    [InlineData("--remove-layers abc", "mutate", "scratch", "-t", "oci:out", "--remove-layers", "abc")]
    [InlineData("--remove-layers 99999999999", "mutate", "scratch", "-t", "oci:out", "--remove-layers", "99999999999")]
    [InlineData("--remove-layers -1", "mutate", "scratch", "-t", "oci:out", "--remove-layers", "-1")]
    public async Task A_bad_number_is_a_usage_error_naming_the_option_and_the_value(string named, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"dockerless: {named}: expected a whole number", line, StringComparison.Ordinal);
        Assert.DoesNotContain("exception", line, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("catalog: invalid registry address \"127.0.0.1:5000/app\": expected host[:port] or http(s)://host[:port] (to list a repository's tags: dockerless ls REPO)", "catalog", "127.0.0.1:5000/app")]
    [InlineData("catalog: invalid registry address \"127.0.0.1:5000/app\"", "catalog", "docker://127.0.0.1:5000/app")]
    [InlineData("catalog: invalid registry address \"registry:http\": the port is not a number from 0 to 65535", "catalog", "registry:http")]
    [InlineData("login: invalid registry address \"127.0.0.1:5000/app\"", "login", "127.0.0.1:5000/app", "-u", "me", "--password-stdin")]
    [InlineData("pull: PATH is empty: expected the file or directory to write", "pull", "127.0.0.1:1/app:1", "")]
    [InlineData("pull: PATH is empty", "pull", "127.0.0.1:1/app:1", "", "--format", "oci")]
    [InlineData("push: PATH is empty: expected the image's file, directory or local location", "push", "", "127.0.0.1:1/app:1")]
    [InlineData("build: CONTEXT is empty: expected the build context directory", "build", "", "-t", "127.0.0.1:1/app:1")]
    [InlineData("export: OUT.tar is empty: expected the tar file to write (- for standard output)", "export", "scratch", "")]
    [InlineData("logout: the registry is empty: expected HOST[:PORT]", "logout", "")]
    [InlineData("logout: the registry is empty: expected HOST[:PORT]", "logout", " ")]
    [InlineData("invalid image reference \"localhost:99999/app\": the port \"99999\" of host \"localhost\" is not a number from 0 to 65535", "ls", "localhost:99999/app")]
    [InlineData("the port \"70000\" of host \"127.0.0.1\"", "copy", "scratch", "docker://127.0.0.1:70000/app:1")]
    [InlineData("the port \"70000\" of host \"127.0.0.1\"", "inspect", "127.0.0.1:70000/app:1")]
    [InlineData("tag: the tag \"BAD TAG\" contains ' '", "tag", "127.0.0.1:5000/app:1", "BAD TAG")]
    [InlineData("tag: the tag \"-x\" must start with a letter, digit or '_'", "tag", "127.0.0.1:5000/app:1", "-x")]
    [InlineData("is longer than 128 characters", "tag", "127.0.0.1:5000/app:1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_invalid_registry_or_tag_is_a_usage_error_before_any_request(string message, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dockerless: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Argument_exceptions_lose_the_parameter_suffix_in_messages()
    {
        Assert.Equal("bad address", CliApp.MessageOf(new ArgumentException("bad address", "address")));
        Assert.Equal("no parameter", CliApp.MessageOf(new ArgumentException("no parameter")));
        Assert.Equal("other", CliApp.MessageOf(new InvalidOperationException("other")));
    }

    [Fact]
    public void Numbers_in_range_and_defaults_parse()
    {
        var root = CliApp.CreateRootCommand();
        Assert.Equal(4, root.Parse(["digest", "scratch"]).GetValue(GlobalOptions.Jobs));
        var parse = root.Parse(["mutate", "scratch", "-t", "oci:out", "--jobs", "2147483647", "--remove-layers", "0"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(int.MaxValue, parse.GetValue(GlobalOptions.Jobs));
        Assert.Equal(0, parse.GetValue<int>("--remove-layers"));
        Assert.Empty(root.Parse(["mutate", "scratch", "-t", "oci:out"]).Errors);
        Assert.Equal(0, root.Parse(["mutate", "scratch", "-t", "oci:out"]).GetValue<int>("--remove-layers"));
    }

    [Fact]
    public async Task An_unknown_verb_is_named_in_the_error()
    {
        var (_, _, error) = await RunAsync("frobnicate");
        Assert.Contains("'frobnicate'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_file_destination_exits_2_with_the_hint()
    {
        var (code, _, error) = await RunAsync("copy", "scratch", "./out.tar");
        Assert.Equal(2, code);
        Assert.Contains("docker-archive:./out.tar", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("build")]
    [InlineData("copy")]
    [InlineData("pull")]
    [InlineData("push")]
    [InlineData("append")]
    [InlineData("mutate")]
    [InlineData("inspect")]
    [InlineData("digest")]
    [InlineData("manifest")]
    [InlineData("config")]
    [InlineData("blob")]
    [InlineData("ls")]
    [InlineData("catalog")]
    [InlineData("tag")]
    [InlineData("delete")]
    [InlineData("export")]
    [InlineData("flatten")]
    [InlineData("login")]
    [InlineData("logout")]
    [InlineData("run")]
    [InlineData("gc")]
    [InlineData("clear-cache")]
    public async Task Every_verb_has_help(string verb)
    {
        var (code, output, _) = await RunAsync(verb, "--help");
        Assert.Equal(0, code);
        Assert.Contains($" {verb} ", output, StringComparison.Ordinal);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker-archive:x.tar")]
    [InlineData("oci-archive:x.tar")]
    public async Task Gc_takes_only_an_oci_layout_directory(string location)
    {
        var (code, _, error) = await RunAsync("gc", location);
        Assert.Equal(2, code);
        Assert.Contains($"gc: {location}: expected an OCI layout directory, oci:DIR", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Global_options_are_accepted_before_and_after_the_verb()
    {
        var root = CliApp.CreateRootCommand();
        var parse = root.Parse(["--insecure", "a:5000", "digest", "scratch", "--insecure", "b:5000", "--jobs", "8", "--json", "-q", "-v"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(["a:5000", "b:5000"], parse.GetValue(GlobalOptions.Insecure)!);
        Assert.Equal(8, parse.GetValue(GlobalOptions.Jobs));
        Assert.True(parse.GetValue(GlobalOptions.Json) && parse.GetValue(GlobalOptions.Quiet) && parse.GetValue(GlobalOptions.Verbose));
    }

    [Fact]
    public void Run_takes_the_command_after_the_double_dash()
    {
        var root = CliApp.CreateRootCommand();
        var parse = root.Parse(["run", "scratch", "--network", "host", "--", "sh", "-c", "echo hi"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(["sh", "-c", "echo hi"], parse.GetValue<string[]>("CMD")!);
    }

    [Fact]
    public void Config_flags_apply_to_the_image_config()
    {
        var flags = new ConfigFlags();
        var image = Image.Scratch();
        image.Config.Env.Add("A=0");
        var command = new System.CommandLine.Command("test");
        flags.AddTo(command);
        var own = command.Parse(["--entrypoint", "/bin/sh", "--entrypoint", "-c", "--cmd", "echo hi", "--env", "A=1", "--env", "A=2",
            "--label", "k=v", "--expose", "8080", "--expose", "53/udp", "--workdir", "/app", "--user", "1000:1000"]);
        Assert.Empty(own.Errors);
        flags.Apply(own, image);
        Assert.Equal(["/bin/sh", "-c"], image.Config.Entrypoint);
        Assert.Equal(["echo hi"], image.Config.Cmd);
        Assert.Equal(["A=2"], image.Config.Env);
        Assert.Equal("v", image.Config.Labels!["k"]);
        Assert.Equal(["8080/tcp", "53/udp"], image.Config.ExposedPorts);
        Assert.Equal("/app", image.Config.WorkingDir);
        Assert.Equal("1000:1000", image.Config.User);
    }

    /// <summary>Docker's ENV, BuildKit, crane and umoci replace a variable where it stands; later repeats of it go.</summary>
    [Fact]
    public void Env_replaces_a_variable_where_it_stands()
    {
        var image = Image.Scratch();
        image.Config.Env = ["PATH=/bin", "FOO=1", "BAR=2", "FOO=old"];
        ApplyFlags(image, "--env", "FOO=9", "--env", "NEW=x");
        Assert.Equal(["PATH=/bin", "FOO=9", "BAR=2", "NEW=x"], image.Config.Env);
    }

    /// <summary>--layer FILE:DIR puts the file into DIR under its own name; a directory's contents go into DIR.</summary>
    [Theory]
    [InlineData("app.conf", "/etc", "/etc/")]
    [InlineData("app.conf", "/etc/", "/etc/")]
    [InlineData("app.conf", "/", "/")]
    [InlineData(".", "/srv/app", "/srv/app")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Append_puts_a_file_into_the_container_directory(string hostPath, string containerDir, string expected)
    {
        using var dir = new Dockerless.Tests.Layers.TempDirectory();
        var path = hostPath == "." ? dir.Path : Path.Combine(dir.Path, hostPath);
        if (hostPath != ".") File.WriteAllText(path, "x");
        Assert.Equal(expected, AppendCommand.IntoDirectory(path, containerDir));
    }

    /// <summary>A new entrypoint drops the old Cmd (its arguments), as a Dockerfile's ENTRYPOINT and crane mutate do, unless --cmd sets one.</summary>
    [Fact]
    public void Entrypoint_without_cmd_drops_the_old_cmd()
    {
        var image = Image.Scratch();
        image.Config.Entrypoint = ["/bin/sh", "-c"];
        image.Config.Cmd = ["echo hi"];
        ApplyFlags(image, "--entrypoint", "/app/server");
        Assert.Equal(["/app/server"], image.Config.Entrypoint);
        Assert.Null(image.Config.Cmd);

        image.Config.Cmd = ["echo hi"];
        ApplyFlags(image, "--entrypoint", "/bin/cat", "--cmd", "/etc/hostname");
        Assert.Equal(["/etc/hostname"], image.Config.Cmd);

        ApplyFlags(image, "--cmd", "/etc/os-release");
        Assert.Equal(["/bin/cat"], image.Config.Entrypoint);
    }

    /// <summary>Applies the config flags <paramref name="args"/> to <paramref name="image"/>.</summary>
    private static void ApplyFlags(Image image, params string[] args)
    {
        var flags = new ConfigFlags();
        var command = new System.CommandLine.Command("test");
        flags.AddTo(command);
        flags.Apply(command.Parse(args), image);
    }

    [Fact]
    public void An_empty_cmd_clears_it()
    {
        var image = Image.Scratch();
        image.Config.Cmd = ["x"];
        ApplyFlags(image, "--cmd", "");
        Assert.Null(image.Config.Cmd);
    }

    [Theory]
    [InlineData("app")]
    [InlineData("./app")]
    [InlineData("~/app")]
    public async Task A_relative_workdir_is_a_usage_error(string workdir)
    {
        var target = Path.Combine(Path.GetTempPath(), "dockerless-test-" + Guid.NewGuid().ToString("N"));
        var (code, output, error) = await RunAsync("mutate", "scratch", "-t", $"oci:{target}", "--workdir", workdir);
        Assert.False(Directory.Exists(target));
        Assert.Equal((2, ""), (code, output));
        Assert.Equal($"dockerless: --workdir {workdir}: expected an absolute path, such as /app ('' clears it)", error.Trim());
    }

    [Fact]
    public void An_empty_workdir_clears_it()
    {
        var image = Image.Scratch();
        image.Config.WorkingDir = "/app";
        ApplyFlags(image, "--workdir", "");
        Assert.Equal("", image.Config.WorkingDir);
    }

    [Theory]
    [InlineData("8080", "8080/tcp")]
    [InlineData("53/udp", "53/udp")]
    [InlineData("9/SCTP", "9/sctp")]
    [InlineData("443/Tcp", "443/tcp")]
    [InlineData("080", "80/tcp")]
    [InlineData("00053/udp", "53/udp")]
    public void Exposed_ports_are_keyed_port_slash_lowercase_protocol(string value, string key) => Assert.Equal(key, ConfigFlags.ExposedPort(value));

    [Theory]
    [InlineData("80/", "the protocol \"\" is not tcp, udp or sctp")]
    [InlineData("80/xyz", "the protocol \"xyz\" is not tcp, udp or sctp")]
    [InlineData("80/tcp/udp", "the protocol \"tcp/udp\" is not tcp, udp or sctp")]
    [InlineData("65536", "expected PORT[/tcp|/udp|/sctp] with PORT from 0 to 65535")]
    [InlineData("+80", "expected PORT")]
    [InlineData(" 80", "expected PORT")]
    public async Task A_bad_exposed_port_is_a_usage_error_naming_it(string value, string message)
    {
        var target = Path.Combine(Path.GetTempPath(), "dockerless-test-" + Guid.NewGuid().ToString("N"));
        var (code, output, error) = await RunAsync("mutate", "scratch", "-t", $"oci:{target}", "--expose", value);
        Assert.False(Directory.Exists(target));
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith($"dockerless: --expose {value}: {message}", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    /// <summary>Writes a scratch image for linux/amd64 and one for linux/arm64 under one name into the layout <paramref name="location"/>.</summary>
    private static async Task WriteTwoPlatformsAsync(string location)
    {
        foreach (var platform in new[] { "linux/amd64", "linux/arm64" })
        {
            Assert.Equal(0, (await RunAsync("-q", "mutate", "scratch", "-t", location, "--platform", platform)).ExitCode);
        }
    }

    /// <summary>A layout of two platforms copied with one it has and one it has not: named, not "one --platform at most".</summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Copy_names_a_platform_a_layout_does_not_have()
    {
        using var dir = new Dockerless.Tests.Layers.TempDirectory();
        await WriteTwoPlatformsAsync($"oci:{dir.Combine("layout")}:v1");

        var (code, output, error) = await RunAsync("copy", $"oci:{dir.Combine("layout")}:v1", $"oci:{dir.Combine("copy")}", "--platform", "linux/amd64", "--platform", "linux/s390x");

        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"dockerless: oci:{dir.Combine("layout")}:v1: no image for platform linux/s390x; it has linux/amd64, linux/arm64", error.Trim());
        Assert.False(Directory.Exists(dir.Combine("copy")));
    }

    /// <summary>A tag the layout does not hold is named as such, with several --platform as with none, not "one --platform at most".</summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Copy_names_a_tag_a_layout_does_not_have_whatever_the_platforms()
    {
        using var dir = new Dockerless.Tests.Layers.TempDirectory();
        await WriteTwoPlatformsAsync($"oci:{dir.Combine("layout")}:v1");

        foreach (var platforms in new[] { Array.Empty<string>(), ["--platform", "linux/amd64", "--platform", "linux/arm64"] })
        {
            var (code, output, error) = await RunAsync(["copy", $"oci:{dir.Combine("layout")}:v2", $"oci:{dir.Combine("copy")}", .. platforms]);

            Assert.Equal((1, ""), (code, output));
            Assert.StartsWith($"dockerless: oci:{dir.Combine("layout")}:v2: no image named v2 in it (it has: ", error.Trim(), StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(dir.Combine("copy")));
    }

    /// <summary>An OCI ref name that is a whole reference (skopeo writes oci:DIR:example.com/app:1.0) picks every platform under it.</summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Copy_takes_every_platform_of_a_whole_reference_as_a_layout_name()
    {
        using var dir = new Dockerless.Tests.Layers.TempDirectory();
        var source = $"oci:{dir.Combine("layout")}:example.com/app:1.0";
        await WriteTwoPlatformsAsync(source);

        Assert.Equal((0, ""), ((await RunAsync("-q", "copy", source, $"oci:{dir.Combine("copy")}:v1")).ExitCode, ""));
        Assert.Equal(
            ["linux/amd64", "linux/arm64"],
            (await ImageIndex.LoadAsync(dir.Combine("copy"))).Images.Select(i => i.Platform.ToString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("./app:/srv", "./app", "/srv")]
    [InlineData("app", "app", "/")]
    [InlineData("/abs/file.txt:/etc/file.txt", "/abs/file.txt", "/etc/file.txt")]
    public void Append_layers_split_host_path_and_container_dir(string value, string hostPath, string containerDir)
    {
        Assert.Equal((hostPath, containerDir), AppendCommand.ParseLayer(value));
    }
}
