using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless logout REGISTRY</c>: removes the stored credentials, as docker logout does. A credential
/// helper that cannot erase is a warning on stderr (even with --quiet: a secret may remain), not a failure.
/// </summary>
internal static class LogoutCommand
{
    public static Command Create()
    {
        var registry = new Argument<string>("REGISTRY") { Description = "The registry, HOST[:PORT]" };
        var command = new Command("logout", "Remove the stored credentials of a registry") { registry };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var host = RegistryArguments.RequireRegistry("logout", parse.GetRequiredValue(registry));
            var result = await new DockerCredentialStore().LogoutAsync(host, cancellationToken);
            foreach (var warning in result.Warnings) await context.Error.WriteLineAsync($"dockerless: warning: {warning}");
            // "No credentials stored" would be wrong when the helper could not say what it holds.
            if (result.Erased) context.Status($"removed credentials for {host}");
            else if (result.Warnings.Count == 0) context.Status($"no credentials stored for {host}");
        });
        return command;
    }
}
