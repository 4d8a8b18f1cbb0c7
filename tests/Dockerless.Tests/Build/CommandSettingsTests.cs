using Dockerless.Build.Publishing;

namespace Dockerless.Tests.Build;

/// <summary>ENTRYPOINT and CMD follow the SDK's ContainerAppCommand rules.</summary>
public sealed class CommandSettingsTests
{
    private static readonly string[] App = ["dotnet", "/app/App.dll"];

    [Fact]
    public void By_default_the_app_command_is_the_entrypoint_and_a_base_dotnet_entrypoint_is_dropped()
    {
        var warnings = new List<string>();
        var command = new CommandSettings { AppCommand = App, DefaultArgs = ["--port", "80"] }.Resolve(["dotnet"], warnings.Add);
        Assert.Equal(App, command.Entrypoint);
        Assert.Equal(["--port", "80"], command.Cmd);
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_base_entrypoint_other_than_dotnet_is_replaced_with_a_warning()
    {
        var warnings = new List<string>();
        var command = new CommandSettings { AppCommand = App }.Resolve(["/tini", "--"], warnings.Add);
        Assert.Equal(App, command.Entrypoint);
        Assert.Null(command.Cmd);
        Assert.Contains("[/tini, --]", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultArgs_keeps_the_base_entrypoint_and_puts_the_app_command_in_cmd()
    {
        var command = new CommandSettings { AppCommand = App, AppCommandArgs = ["--verbose"], AppCommandInstruction = "DefaultArgs", DefaultArgs = ["x"] }.Resolve(["/tini", "--"], _ => { });
        Assert.Equal(["/tini", "--"], command.Entrypoint);
        Assert.Equal(["dotnet", "/app/App.dll", "--verbose", "x"], command.Cmd);
    }

    [Fact]
    public void An_entrypoint_set_the_old_way_makes_the_app_command_default_args()
    {
        var command = new CommandSettings { Entrypoint = ["/bin/sh", "-c"], AppCommand = App }.Resolve(null, _ => { });
        Assert.Equal(["/bin/sh", "-c"], command.Entrypoint);
        Assert.Equal(App, command.Cmd);
    }

    [Fact]
    public void EntrypointArgs_alone_are_the_cmd_of_the_app_command()
    {
        var command = new CommandSettings { EntrypointArgs = ["--flag"], AppCommand = App }.Resolve(null, _ => { });
        Assert.Equal(App, command.Entrypoint);
        Assert.Equal(["--flag"], command.Cmd);
    }

    [Theory]
    [InlineData("Entrypoint", true, "ContainerEntrypoint is set and ContainerAppCommandInstruction is Entrypoint")]
    [InlineData("None", false, "ContainerAppCommand is set but ContainerAppCommandInstruction is None")]
    [InlineData("Sideways", false, "ContainerAppCommandInstruction 'Sideways' is not one of Entrypoint, DefaultArgs, None")]
    public void Contradictions_are_errors_naming_the_items(string instruction, bool entrypoint, string message)
    {
        var settings = new CommandSettings { AppCommand = App, AppCommandInstruction = instruction, Entrypoint = entrypoint ? ["/bin/sh"] : [] };
        Assert.Contains(message, Assert.Throws<ContainerSettingsException>(() => settings.Resolve(null, _ => { })).Message, StringComparison.Ordinal);
    }
}
