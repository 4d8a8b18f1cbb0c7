using System.CommandLine;
using Dockerless.Cli.Locations;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless logout REGISTRY</c>: removes the stored credentials, as docker logout does.</summary>
internal static class LogoutCommand
{
    public static Command Create()
    {
        var registry = new Argument<string>("REGISTRY") { Description = "The registry, HOST[:PORT]" };
        var command = new Command("logout", "Remove the stored credentials of a registry") { registry };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var host = parse.GetRequiredValue(registry);
            var erased = await RegistryAccess.LogoutAsync(context, host, cancellationToken);
            context.Status(erased ? $"removed credentials for {host}" : $"no credentials stored for {host}");
        });
        return command;
    }
}
