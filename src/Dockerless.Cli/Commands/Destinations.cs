namespace Dockerless.Cli.Commands;

/// <summary>Writes what a verb made to its destination, and says so.</summary>
internal static class Destinations
{
    /// <summary>Writes <paramref name="image"/> to <paramref name="destination"/>; a push is reported with its digest.</summary>
    public static async Task WriteAsync(CliContext context, ImageLocation destination, Image image, CancellationToken cancellationToken)
    {
        var digest = await destination.WriteImageAsync(image, context.Registries, cancellationToken);
        if (destination is RegistryLocation pushed) context.Status($"pushed {RegistryArguments.WithoutTransport(pushed.Text)}@{digest}");
    }
}
