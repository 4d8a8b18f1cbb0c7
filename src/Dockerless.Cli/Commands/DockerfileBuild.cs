using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>build [-f FILE] CONTEXT</c>: the Dockerfile built by the library's <see cref="DockerfileBuilder"/>, written to every destination.</summary>
internal static class DockerfileBuild
{
    public static async Task RunAsync(CliContext context, ParseResult parse, BuildCommandOptions options, string directory, IReadOnlyList<ImageLocation> destinations, CancellationToken cancellationToken)
    {
        var file = parse.GetValue(options.File) ?? Path.Combine(directory, "Dockerfile");
        if (!File.Exists(file)) throw new UsageException($"build: {file}: no such Dockerfile");
        var platforms = Platforms(parse.GetValue(options.Platform));
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parse.GetValue(options.Config.Label) ?? [])
        {
            var (key, value) = ConfigFlags.KeyValue(pair, "--label");
            labels[key] = value;
        }
        var buildOptions = new BuildOptions
        {
            Target = parse.GetValue(options.Target),
            BuildArgs = BuildArgs(parse.GetValue(options.BuildArgs) ?? []),
            Platforms = platforms,
            Labels = labels,
            NoCache = parse.GetValue(options.NoCache),
            Secrets = Secrets(parse.GetValue(options.Secrets) ?? []),
            // RUN's output is shown as it runs, as docker build shows it, on stderr beside the steps.
            RunExecutor = new OciRunExecutor(output: context.Quiet ? null : Console.OpenStandardError()),
            Registries = context.Registries,
            Progress = context.Quiet ? null : new StepLines(context),
        };
        if (platforms.Count > 1)
        {
            if (destinations.FirstOrDefault(d => !d.CanHoldIndex) is { } single)
            {
                throw new UsageException($"build: {single}: several platforms make an index, which only a registry or an OCI layout holds");
            }
            var index = await DockerfileBuilder.BuildIndexFileAsync(file, directory, buildOptions, cancellationToken);
            await using (index)
            {
                foreach (var destination in destinations)
                {
                    var digest = await destination.WriteIndexAsync(index, context.Registries, cancellationToken);
                    context.Status(destination is RegistryLocation ? $"pushed {RegistryArguments.WithoutTransport(destination.Text)}@{digest}" : $"wrote {destination}");
                }
                await WriteIidFileAsync(parse, options, index.GetDigest(), cancellationToken);
            }
            return;
        }
        var image = await DockerfileBuilder.BuildFileAsync(file, directory, buildOptions, cancellationToken);
        await using (image)
        {
            foreach (var destination in destinations)
            {
                await Destinations.WriteAsync(context, destination, image, cancellationToken);
                context.Status($"wrote {destination}");
            }
            await WriteIidFileAsync(parse, options, Digest.Compute(image.GetRawConfig().Span), cancellationToken);
        }
    }

    /// <summary>Writes <c>--iidfile</c>: the image's id as docker writes it (<c>sha256:...</c>, no newline).</summary>
    public static async Task WriteIidFileAsync(ParseResult parse, BuildCommandOptions options, Digest id, CancellationToken cancellationToken)
    {
        if (parse.GetValue(options.IidFile) is not { Length: > 0 } path) return;
        await File.WriteAllTextAsync(path, id.ToString(), cancellationToken);
    }

    /// <summary><c>--platform a,b</c>: each platform once, in order.</summary>
    private static List<Platform> Platforms(string? value)
    {
        if (value is null) return [];
        var platforms = new List<Platform>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var platform = CommonOptions.ParsePlatform(part)!;
            if (!platforms.Contains(platform)) platforms.Add(platform);
        }
        return platforms;
    }

    /// <summary><c>--build-arg K=V</c>, or <c>K</c> alone for this process's <c>K</c> (left out when unset), as docker takes them.</summary>
    private static Dictionary<string, string> BuildArgs(string[] values)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals == 0 || value.Length == 0) throw new UsageException($"--build-arg {value}: expected K=V or K");
            if (equals > 0) args[value[..equals]] = value[(equals + 1)..];
            else if (Environment.GetEnvironmentVariable(value) is { } fromEnvironment) args[value] = fromEnvironment;
        }
        return args;
    }

    /// <summary><c>--secret id=ID,src=FILE</c> (also <c>source=</c>; <c>src</c> alone takes the file's name as the id), as docker build takes it.</summary>
    private static Dictionary<string, string> Secrets(string[] values)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            string? id = null, source = null;
            foreach (var field in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = field.IndexOf('=', StringComparison.Ordinal);
                var (key, text) = equals < 0 ? (field, "") : (field[..equals], field[(equals + 1)..]);
                switch (key)
                {
                    case "id": id = text; break;
                    case "src" or "source": source = text; break;
                    case "type" when text == "file": break;
                    default: throw new UsageException($"--secret {value}: unexpected field \"{field}\" (expected id=ID,src=FILE)");
                }
            }
            if (source is null) throw new UsageException($"--secret {value}: no src=FILE");
            if (!File.Exists(source)) throw new UsageException($"--secret {value}: {source}: no such file");
            secrets[id is { Length: > 0 } ? id : Path.GetFileName(source)] = Path.GetFullPath(source);
        }
        return secrets;
    }

    /// <summary>BuildKit's plain progress on stderr: one line as a step starts, one as it ends.</summary>
    private sealed class StepLines(CliContext context) : IProgress<BuildStepProgress>
    {
        public void Report(BuildStepProgress value)
        {
            if (value.State == BuildStepState.Started) return;
            context.Status(value.ToString());
        }
    }
}
