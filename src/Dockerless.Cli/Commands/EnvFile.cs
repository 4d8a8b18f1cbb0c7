namespace Dockerless.Cli.Commands;

/// <summary>
/// docker's <c>--env-file</c> format: one <c>NAME=value</c> a line, the value taken verbatim (no
/// quotes removed); a bare <c>NAME</c> takes the variable from this process's environment, or is
/// dropped when unset; empty lines and lines starting with <c>#</c> are skipped.
/// </summary>
internal static class EnvFile
{
    public static List<string> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--env-file {path}: {e.Message}");
        }
        var variables = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = (i == 0 ? lines[i].TrimStart('\uFEFF') : lines[i]).TrimStart();
            if (line.Length == 0 || line[0] == '#') continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? line.TrimEnd() : line[..equals];
            if (name.Length == 0) throw new UsageException($"{path}:{i + 1}: no variable name on line '{line}'");
            if (name.Any(char.IsWhiteSpace)) throw new UsageException($"{path}:{i + 1}: variable '{name}' contains whitespaces");
            if (equals >= 0) variables.Add(line);
            else if (Environment.GetEnvironmentVariable(name) is { } value) variables.Add($"{name}={value}");
        }
        return variables;
    }

    /// <summary>A <c>-e NAME</c> without a value takes it from this process's environment, as docker's CLI does (left bare, which unsets it, when unset).</summary>
    public static string Resolve(string variable)
        => variable.Contains('=', StringComparison.Ordinal) || Environment.GetEnvironmentVariable(variable) is not { } value ? variable : $"{variable}={value}";
}
