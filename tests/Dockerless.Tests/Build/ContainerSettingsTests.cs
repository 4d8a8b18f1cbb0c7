using Dockerless.Build.Publishing;

namespace Dockerless.Tests.Build;

/// <summary>The config edits the SDK makes: environment, labels, ports (also from ASP.NET Core's variables), user from APP_UID.</summary>
public sealed class ContainerSettingsTests
{
    [Fact]
    public async Task Settings_go_over_the_base_config_as_the_sdk_applies_them()
    {
        await using var image = Image.Scratch("app");
        var config = image.Config;
        config.Env = ["PATH=/bin", "APP_UID=1654", "ASPNETCORE_URLS=http://+:5000;https://*:5001"];
        config.Labels["base"] = "kept";
        new ContainerSettings
        {
            Environment = [KeyValuePair.Create("PATH", "/usr/bin"), KeyValuePair.Create("MODE", "prod")],
            Labels = [KeyValuePair.Create("team", "web")],
            Ports = [new ContainerPort("8080", ""), new ContainerPort("53", "UDP")],
            Command = new CommandSettings { AppCommand = ["dotnet", "/app/App.dll"] },
        }.ApplyTo(config, _ => { });
        Assert.Equal(["PATH=/usr/bin", "APP_UID=1654", "ASPNETCORE_URLS=http://+:5000;https://*:5001", "MODE=prod"], config.Env);
        Assert.Equal("kept", config.Labels["base"]);
        Assert.Equal("web", config.Labels["team"]);
        Assert.Equal(["5000/tcp", "5001/tcp", "53/udp", "8080/tcp"], config.ExposedPorts.Order(StringComparer.Ordinal));
        Assert.Equal("1654", config.User);
        Assert.Equal("/app/", config.WorkingDir);
    }

    [Fact]
    public async Task ContainerUser_wins_over_APP_UID()
    {
        await using var image = Image.Scratch("app");
        image.Config.Env = ["APP_UID=1654"];
        new ContainerSettings { User = "root", Command = new CommandSettings { AppCommand = ["/app/App"] } }.ApplyTo(image.Config, _ => { });
        Assert.Equal("root", image.Config.User);
    }

    [Theory]
    [InlineData("0", "tcp", "ContainerPort '0' is not a port number")]
    [InlineData("http", "tcp", "ContainerPort 'http' is not a port number")]
    [InlineData("80", "sctp", "ContainerPort '80' has Type 'sctp'; it must be tcp or udp")]
    public async Task A_bad_port_is_an_error_naming_it(string number, string type, string message)
    {
        await using var image = Image.Scratch("app");
        var settings = new ContainerSettings { Ports = [new ContainerPort(number, type)] };
        Assert.Contains(message, Assert.Throws<ContainerSettingsException>(() => settings.ApplyTo(image.Config, _ => { })).Message, StringComparison.Ordinal);
    }
}
