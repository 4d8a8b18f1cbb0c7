using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>The image-config flags that build and mutate share.</summary>
internal sealed class ConfigFlags
{
    public Option<string[]> Entrypoint { get; } = Repeatable("--entrypoint", "ARG", "One element of the entrypoint (repeat for each; --entrypoint '' clears it); without --cmd, the image's Cmd is dropped, as docker's ENTRYPOINT does");
    public Option<string[]> Cmd { get; } = Repeatable("--cmd", "ARG", "One element of the default command (repeat for each; --cmd '' clears it)");
    public Option<string[]> Env { get; } = Repeatable("--env", "K=V", "An environment variable (repeatable)");
    public Option<string?> Workdir { get; } = new("--workdir") { Description = "The working directory, an absolute path (--workdir '' clears it)", HelpName = "DIR" };
    public Option<string?> User { get; } = new("--user") { Description = "The user (name, uid or uid:gid)", HelpName = "USER" };
    public Option<string[]> Label { get; } = Repeatable("--label", "K=V", "A label (repeatable)");
    public Option<string[]> Expose { get; } = Repeatable("--expose", "PORT[/PROTO]", "An exposed port such as 8080/tcp (repeatable)");

    public void AddTo(Command command)
    {
        command.Options.Add(Entrypoint);
        command.Options.Add(Cmd);
        command.Options.Add(Env);
        command.Options.Add(Workdir);
        command.Options.Add(User);
        command.Options.Add(Label);
        command.Options.Add(Expose);
    }

    public static Option<string[]> Repeatable(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Applies every flag given on the command line to the image's config.</summary>
    public void Apply(ParseResult parse, Image image)
    {
        var config = image.Config;
        if (parse.GetResult(Entrypoint) is not null)
        {
            config.Entrypoint = ListOrNull(parse.GetValue(Entrypoint));
            // The old Cmd was arguments for the old entrypoint: a Dockerfile's ENTRYPOINT resets the
            // inherited CMD, and crane mutate --entrypoint drops it ("matches Docker's behavior"), so
            // /bin/sh -c's "echo hi" does not become an argument of a new /app/server. (umoci config
            // keeps it; docker and crane decide.) --cmd given too sets the new one.
            if (parse.GetResult(Cmd) is null) config.Cmd = null;
        }
        if (parse.GetResult(Cmd) is not null) config.Cmd = ListOrNull(parse.GetValue(Cmd));
        foreach (var pair in parse.GetValue(Env) ?? [])
        {
            var (key, _) = KeyValue(pair, "--env");
            EnvironmentList.Set(config.Env, key, pair);
        }
        if (parse.GetValue(Workdir) is { } workdir)
        {
            // An engine refuses to start a container in a relative working directory (runc: "cwd must be an absolute path").
            if (workdir.Length > 0 && !workdir.StartsWith('/')) throw new UsageException($"--workdir {workdir}: expected an absolute path, such as /app ('' clears it)");
            config.WorkingDir = workdir;
        }
        if (parse.GetValue(User) is { } user) config.User = user;
        foreach (var pair in parse.GetValue(Label) ?? [])
        {
            var (key, value) = KeyValue(pair, "--label");
            config.Labels[key] = value;
        }
        foreach (var port in parse.GetValue(Expose) ?? []) config.ExposedPorts.Add(ExposedPort(port));
    }

    /// <summary>
    /// <c>PORT[/PROTO]</c> as the config's key, <c>8080/tcp</c>: the protocols docker knows,
    /// lowercased, and the port as a number without leading zeros, as docker writes them (another
    /// protocol would be written and never published; <c>080</c> would be a second key for port 80).
    /// </summary>
    public static string ExposedPort(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var number = slash < 0 ? value : value[..slash];
        var protocol = slash < 0 ? "tcp" : value[(slash + 1)..].ToLowerInvariant();
        if (!ushort.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            throw new UsageException($"--expose {value}: expected PORT[/tcp|/udp|/sctp] with PORT from 0 to 65535, such as 8080/tcp");
        }
        if (protocol is not ("tcp" or "udp" or "sctp"))
        {
            throw new UsageException($"--expose {value}: the protocol \"{protocol}\" is not tcp, udp or sctp");
        }
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{parsed}/{protocol}");
    }

    /// <summary>An empty single value (<c>--cmd ''</c>) clears the list.</summary>
    private static List<string>? ListOrNull(string[]? values) => values is null or [""] ? null : [.. values];

    public static (string Key, string Value) KeyValue(string pair, string flag)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) throw new UsageException($"{flag} {pair}: expected KEY=VALUE");
        return (pair[..equals], pair[(equals + 1)..]);
    }
}
