using System.CommandLine;

namespace Dockerless.Cli;

/// <summary>The options every verb accepts (recursive options of the root command).</summary>
internal static class GlobalOptions
{
    public static readonly Option<string[]> Insecure = new("--insecure")
    {
        Description = "A registry (HOST[:PORT]) to reach over plain http or without TLS verification (repeatable)",
        HelpName = "REGISTRY",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string?> CertDir = new("--cert-dir")
    {
        Description = "A directory of CA certificates, laid out as docker's certs.d (HOST:PORT/ca.crt)",
        HelpName = "DIR",
        Recursive = true,
    };

    public static readonly Option<int> Jobs = new("--jobs")
    {
        Description = "How many blobs move at the same time",
        HelpName = "N",
        Recursive = true,
        DefaultValueFactory = _ => 4,
        CustomParser = result => Commands.CommonOptions.ParseCount(result, "--jobs", minimum: 1),
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print data as JSON",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print no progress and no status lines",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log every request (secrets redacted) and show stack traces on errors",
        Recursive = true,
    };

    public static readonly Option<TimeSpan?> Timeout = new("--timeout")
    {
        Description = "Stop the command after this long (90s, 10m, 1h, or seconds); its outputs are left as if interrupted",
        HelpName = "DURATION",
        Recursive = true,
        CustomParser = ParseDuration,
    };

    public static IEnumerable<Option> All => [Insecure, CertDir, Jobs, Json, Quiet, Verbose, Timeout];

    /// <summary>A positive duration: a number of seconds, or a number with <c>s</c>, <c>m</c> or <c>h</c>.</summary>
    private static TimeSpan? ParseDuration(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var (number, unit) = text.Length > 0 && char.IsLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        if (double.TryParse(number, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            && unit is 's' or 'm' or 'h')
        {
            return unit switch { 'h' => TimeSpan.FromHours(value), 'm' => TimeSpan.FromMinutes(value), _ => TimeSpan.FromSeconds(value) };
        }
        result.AddError($"--timeout {text}: expected a positive duration such as 90s, 10m or 1h");
        return null;
    }
}
