using System.CommandLine;
using Dockerless.Cli.Output;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless catalog REGISTRY</c>: the registry's repositories, one per line (a JSON array with --json).</summary>
internal static class CatalogCommand
{
    public static Command Create()
    {
        var registry = new Argument<string>("REGISTRY") { Description = "The registry, HOST[:PORT] (docker:// optional)" };
        var command = new Command("catalog", "List a registry's repositories") { registry };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var client = RegistryArguments.Registry(context, "catalog", RegistryArguments.WithoutTransport(parse.GetRequiredValue(registry)));
            await DataOutput.WriteListAsync(context, client.EnumerateRepositoriesAsync(cancellationToken: cancellationToken));
        });
        return command;
    }
}
