using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless login REGISTRY -u USER --password-stdin</c>: checks the credentials against the
/// registry and stores them in $DOCKER_CONFIG/config.json (or its credsStore), as docker login does.
/// </summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var registry = new Argument<string>("REGISTRY") { Description = "The registry, HOST[:PORT]" };
        var user = new Option<string>("--username", "-u") { Description = "The user name", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input (the only way: never on the command line)", Required = true };
        var command = new Command("login", "Store credentials for a registry where docker, skopeo and podman find them") { registry, user, passwordStdin };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var host = parse.GetRequiredValue(registry);
            RegistryArguments.Registry(context, "login", host);
            var password = (await Console.In.ReadToEndAsync(cancellationToken)).TrimEnd('\r', '\n');
            if (password.Length == 0) throw new UsageException("login: no password on standard input");
            await new DockerCredentialStore().LoginAsync(host, parse.GetRequiredValue(user), password, context.OptionsFor(host), cancellationToken);
            context.Status($"login succeeded for {host}");
        });
        return command;
    }
}
