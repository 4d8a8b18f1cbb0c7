using System.Globalization;

namespace Dockerless.Building;

/// <summary>The instructions that change only the config: each adds an <c>empty_layer</c> history entry.</summary>
internal sealed partial class StageBuilder
{
    private void ApplyConfig(Instruction instruction, Instruction place)
    {
        var config = _image.Config;
        switch (instruction)
        {
            case ArgInstruction arg:
                Arg(arg, place);
                break;
            case EnvInstruction env:
                // Every pair expands with the variables from before the instruction, as BuildKit does.
                var pairs = env.Variables.Select(v => (Key: Expand(v.Key, place), Value: Expand(v.Value, place))).ToList();
                foreach (var (key, value) in pairs)
                {
                    _variables.SetEnv(key, value);
                    SetEnv(config.Env, key, value);
                }
                ConfigHistory("ENV " + string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")));
                break;
            case LabelInstruction label:
                var labels = new List<string>();
                foreach (var pair in label.Labels)
                {
                    var key = Expand(pair.Key, place);
                    var value = Expand(pair.Value, place);
                    config.Labels[key] = value;
                    labels.Add($"{key}={value}");
                }
                ConfigHistory("LABEL " + string.Join(' ', labels));
                break;
            case MaintainerInstruction maintainer:
                _image.Author = maintainer.Maintainer;
                ConfigHistory("MAINTAINER " + maintainer.Maintainer);
                break;
            case UserInstruction user:
                config.User = Expand(user.User, place);
                ConfigHistory("USER " + config.User);
                break;
            case ExposeInstruction expose:
                Expose(expose, place);
                break;
            case VolumeInstruction volume:
                var paths = volume.Volumes.Select(v => Expand(v, place)).ToList();
                if (paths.Any(p => p.Length == 0)) throw session.Fault(place, "VOLUME specified can not be an empty string");
                foreach (var path in paths) config.Volumes.Add(path);
                ConfigHistory("VOLUME " + HistoryText.PlainList(paths));
                break;
            case CmdInstruction cmd:
                config.Cmd = [.. CommandOf(cmd.Command)];
                _cmdSet = true;
                ConfigHistory("CMD " + HistoryText.QuotedList(config.Cmd));
                break;
            case EntrypointInstruction entrypoint:
                var arguments = CommandOf(entrypoint.Command);
                config.Entrypoint = arguments.Count == 0 ? null : [.. arguments];
                // An inherited CMD was arguments for the old entrypoint; one set in this stage stays.
                if (!_cmdSet) config.Cmd = null;
                ConfigHistory("ENTRYPOINT " + HistoryText.QuotedList(arguments));
                break;
            case HealthcheckInstruction check:
                config.Healthcheck = Healthcheck(check);
                ConfigHistory("HEALTHCHECK " + HistoryText.Healthcheck(check));
                break;
            case ShellInstruction shell:
                config.Shell = [.. shell.Shell];
                ConfigHistory("SHELL " + HistoryText.PlainList(shell.Shell));
                break;
            case StopSignalInstruction signal:
                config.StopSignal = Expand(signal.Signal, place);
                ConfigHistory("STOPSIGNAL " + config.StopSignal);
                break;
            case OnBuildInstruction onBuild:
                config.OnBuild = [.. config.OnBuild ?? [], onBuild.Expression];
                break;
            default:
                throw session.Fault(place, $"{instruction.Name} is not supported by the builder");
        }
    }

    private void Arg(ArgInstruction arg, Instruction place)
    {
        var written = new List<string>();
        foreach (var declaration in arg.Arguments)
        {
            var name = declaration.Name;
            string? value = null;
            string? shown = null;
            if (declaration.DefaultValue is { } defaultValue)
            {
                shown = Expand(defaultValue, place);
                value = shown;
            }
            if (session.Options.BuildArgs.TryGetValue(name, out var given)) value = given;
            else if (value is null && session.GlobalArgs.TryGetValue(name, out var global)) value = global;
            _variables.SetArg(name, value);
            written.Add(shown is null ? name : $"{name}={shown}");
        }
        ConfigHistory("ARG " + string.Join(' ', written));
    }

    private void Expose(ExposeInstruction expose, Instruction place)
    {
        var ports = new List<string>();
        foreach (var written in expose.Ports)
        {
            foreach (var word in ExpandWords(written, place))
            {
                var slash = word.IndexOf('/', StringComparison.Ordinal);
                var port = slash < 0 ? word : word[..slash];
                var protocol = slash < 0 ? "tcp" : word[(slash + 1)..].ToLowerInvariant();
                if (port.Length == 0 || !port.All(char.IsAsciiDigit) && !IsRange(port)) throw session.Fault(place, $"invalid containerPort: {port}");
                // A range is one key per port, as docker's nat.ParsePortSpecs writes it.
                ports.AddRange(Range(port).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p}/{protocol}")));
            }
        }
        foreach (var port in ports) _image.Config.ExposedPorts.Add(port);
        ConfigHistory("EXPOSE " + HistoryText.Set(ports.Distinct(StringComparer.Ordinal)));
    }

    private static IEnumerable<int> Range(string port)
    {
        var dash = port.IndexOf('-', StringComparison.Ordinal);
        var first = int.Parse(dash < 0 ? port : port[..dash], CultureInfo.InvariantCulture);
        var last = dash < 0 ? first : int.Parse(port[(dash + 1)..], CultureInfo.InvariantCulture);
        return last < first ? [] : Enumerable.Range(first, last - first + 1);
    }

    private static bool IsRange(string port)
    {
        var dash = port.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && port[..dash].All(char.IsAsciiDigit) && port[(dash + 1)..].Length > 0 && port[(dash + 1)..].All(char.IsAsciiDigit);
    }

    private static HealthConfig Healthcheck(HealthcheckInstruction check)
    {
        var health = new HealthConfig { Test = [.. check.Test] };
        if (check.IsNone) return health;
        if (check.IntervalNanoseconds != 0) health.WrittenInterval = new Manifests.GoDuration(check.IntervalNanoseconds);
        if (check.TimeoutNanoseconds != 0) health.WrittenTimeout = new Manifests.GoDuration(check.TimeoutNanoseconds);
        if (check.StartPeriodNanoseconds != 0) health.WrittenStartPeriod = new Manifests.GoDuration(check.StartPeriodNanoseconds);
        if (check.StartIntervalNanoseconds != 0) health.WrittenStartInterval = new Manifests.GoDuration(check.StartIntervalNanoseconds);
        if (check.Retries != 0) health.Retries = check.Retries;
        return health;
    }

    /// <summary>The arguments a CMD, ENTRYPOINT or RUN runs: the exec form as written, the shell form through the stage's SHELL.</summary>
    private IReadOnlyList<string> CommandOf(CommandLine command)
    {
        if (!command.IsShellForm) return command.Arguments;
        var shell = _image.Config.Shell is { Count: > 0 } set ? set : ["/bin/sh", "-c"];
        return [.. shell, .. command.Arguments];
    }

    /// <summary>Sets <paramref name="key"/> in an <c>Env</c> list, in place when it is there.</summary>
    private static void SetEnv(IList<string> env, string key, string value)
    {
        for (var i = 0; i < env.Count; i++)
        {
            if (env[i].StartsWith(key + "=", StringComparison.Ordinal) || env[i] == key)
            {
                env[i] = $"{key}={value}";
                return;
            }
        }
        env.Add($"{key}={value}");
    }

    private string Expand(string word, Instruction place) => session.Expand(word, _variables.Values, place);

    private IReadOnlyList<string> ExpandWords(string text, Instruction place)
    {
        try
        {
            return session.Lexer.ProcessWords(text, _variables.Values);
        }
        catch (ShellExpansionException e)
        {
            throw session.Fault(place, e.Message, e);
        }
    }
}
