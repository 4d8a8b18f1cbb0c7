namespace Dockerless.Building;

/// <summary>
/// The variables a stage's instructions expand with, as BuildKit keeps them: the base image's
/// ENV, then the stage's ARGs and ENVs in order, the later setting a name winning (an ARG with
/// a value after an ENV of its name shadows it for expansion; the image's Env keeps the ENV).
/// </summary>
internal sealed class StageVariables
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _args = [];
    private readonly Dictionary<string, string> _argValues = new(StringComparer.Ordinal);

    /// <summary>Every variable set, for the lexer.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The ARGs declared in the stage with a value, in order of declaration (a RUN's extra environment).</summary>
    public IEnumerable<KeyValuePair<string, string>> Args => _args.Where(_values.ContainsKey).Select(a => KeyValuePair.Create(a, _values[a]));

    /// <summary>
    /// Every ARG declared in the stage, in order, with its own value (empty when it has none), as
    /// BuildKit names them before a RUN's command in its history (<c>|2 A=1 B=</c>), ENV or not.
    /// </summary>
    public IEnumerable<string> DeclaredArgs => _args.Select(a => $"{a}={_argValues.GetValueOrDefault(a, "")}");

    /// <summary>Sets the environment of the base image (<c>NAME=value</c> entries).</summary>
    public void SetBaseEnv(IEnumerable<string> env)
    {
        foreach (var entry in env)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) continue;
            SetEnv(entry[..equals], entry[(equals + 1)..]);
        }
    }

    /// <summary>An ENV: sets the variable for later expansion, over any ARG.</summary>
    public void SetEnv(string name, string value)
    {
        _values[name] = value;
    }

    /// <summary>An ARG: declared, and set when it has a value (a default or a build argument).</summary>
    public void SetArg(string name, string? value)
    {
        if (!_args.Contains(name)) _args.Add(name);
        if (value is null) return;
        _values[name] = value;
        _argValues[name] = value;
    }
}
