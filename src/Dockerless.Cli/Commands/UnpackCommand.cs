using System.CommandLine;
using Dockerless.Unpacking;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless unpack SRC DIR</c>: the image's root filesystem written into a directory, as <c>umoci unpack</c> makes it.</summary>
internal static class UnpackCommand
{
    /// <summary>How many skipped paths the one line about them names.</summary>
    private const int NamedSkipped = 5;

    public static Command Create()
    {
        var source = CommonOptions.Source();
        var directory = new Argument<string>("DIR") { Description = "The directory to write the root filesystem into: a new one (its parent must exist) or an empty one" };
        var platform = CommonOptions.Platform();
        var rootless = new Option<bool>("--rootless")
        {
            Description = "Make the tree as an unprivileged user can even as root (the default when not root): owners kept in the user.rootlesscontainers attribute, device nodes skipped",
        };
        var command = new Command("unpack", "Write an image's root filesystem (layers applied in order, whiteouts honoured) into a directory")
        {
            source, directory, platform, rootless,
        };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var from = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            var path = CommonOptions.NonEmptyPath(parse.GetRequiredValue(directory), "unpack", "DIR", "the directory to write the root filesystem into");
            var options = new UnpackOptions { Rootless = parse.GetValue(rootless) ? RootlessMode.Always : RootlessMode.Auto };
            var image = await from.OpenImageAsync(CommonOptions.ParsePlatform(parse.GetValue(platform)), context.Registries, cancellationToken);
            await using (image)
            {
                var result = await image.UnpackAsync(path, options, cancellationToken);
                if (result.SkippedCount > 0) context.Status(SkippedLine(result));
                context.Status($"wrote {result.Directory}");
            }
        });
        return command;
    }

    /// <summary>One line about what was not written: how many of each kind, and the first few by path.</summary>
    internal static string SkippedLine(UnpackResult result)
    {
        var parts = result.Skipped.GroupBy(s => s.Reason).Select(group =>
        {
            var named = group.Take(NamedSkipped).Select(s => s.Reason == SkipReason.DeviceNode ? s.Path : $"{s.Detail} on {s.Path}");
            var ellipsis = group.Count() > NamedSkipped ? ", ..." : "";
            var noun = group.Key == SkipReason.DeviceNode ? "device node" : "extended attribute";
            return $"{group.Count()} {noun}{(group.Count() == 1 ? "" : "s")} ({string.Join(", ", named)}{ellipsis})";
        });
        var more = result.SkippedCount > result.Skipped.Count ? $" and {result.SkippedCount - result.Skipped.Count} more" : "";
        var why = result.Rootless ? " (rootless: run as root to write them)" : "";
        return $"unpack: skipped {string.Join(" and ", parts)}{more}{why}";
    }
}
