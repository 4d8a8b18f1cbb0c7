using System.Text;
using System.Text.RegularExpressions;

namespace Dockerless.Building;

/// <summary>
/// A <c>.dockerignore</c> file read as docker and BuildKit read it (moby's patternmatcher): one
/// pattern a line, <c>#</c> comments, <c>!</c> exceptions, the last matching line deciding; a
/// pattern that matches a directory excludes what is under it; <c>**</c> matches any number of
/// directories, <c>*</c> and <c>?</c> stop at <c>/</c>.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exception, string Text)> _patterns;

    private DockerIgnore(List<(Regex, bool, string)> patterns) => _patterns = patterns;

    /// <summary>Nothing is ignored.</summary>
    public static DockerIgnore None { get; } = new([]);

    /// <summary>The patterns written in <paramref name="text"/>.</summary>
    public static DockerIgnore Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var patterns = new List<(Regex, bool, string)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var exception = line.StartsWith('!');
            if (exception) line = line[1..].Trim();
            if (line.Length == 0) continue;
            var pattern = GoPaths.Clean(line);
            if (pattern.Length > 1 && pattern[0] == '/') pattern = pattern[1..];
            patterns.Add((Compile(pattern), exception, pattern));
        }
        return new DockerIgnore(patterns);
    }

    /// <summary>
    /// Reads <c>FILE.dockerignore</c> beside the Dockerfile when there is one, else the context's
    /// <c>.dockerignore</c>, else ignores nothing (BuildKit's order).
    /// </summary>
    public static async Task<DockerIgnore> LoadAsync(string contextDirectory, string? dockerfilePath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contextDirectory);
        var candidates = new List<string>();
        if (dockerfilePath is not null) candidates.Add(dockerfilePath + ".dockerignore");
        candidates.Add(Path.Combine(contextDirectory, ".dockerignore"));
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate)) return Parse(await File.ReadAllTextAsync(candidate, cancellationToken).ConfigureAwait(false));
        }
        return None;
    }

    /// <summary>Whether any pattern is an exception (<c>!</c>): then an excluded directory must still be searched.</summary>
    public bool HasExceptions => _patterns.Any(p => p.Exception);

    /// <summary>Whether the context path <paramref name="path"/> (relative, <c>/</c>-separated) is left out of the build.</summary>
    public bool IsExcluded(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = GoPaths.Clean(path);
        var parents = Parents(path);
        var excluded = false;
        foreach (var (pattern, exception, _) in _patterns)
        {
            // An exception only matters once something is excluded, and an exclusion once nothing is.
            if (exception != excluded) continue;
            if (pattern.IsMatch(path) || parents.Any(pattern.IsMatch)) excluded = !exception;
        }
        return excluded;
    }

    private static List<string> Parents(string path)
    {
        var parents = new List<string>();
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1)) parents.Add(path[..slash]);
        return parents;
    }

    /// <summary>The pattern as moby's patternmatcher turns it into a regular expression.</summary>
    private static Regex Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/') i++;
                    regex.Append(i + 1 == pattern.Length ? ".*" : "(.*/)?");
                }
                else
                {
                    regex.Append("[^/]*");
                }
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else if (c == '\\')
            {
                regex.Append(i + 1 < pattern.Length ? Regex.Escape(pattern[++i].ToString()) : @"\\");
            }
            else if (c is '[' or ']' or '-' or '^')
            {
                regex.Append(c);
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
