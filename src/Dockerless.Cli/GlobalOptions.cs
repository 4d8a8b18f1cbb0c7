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

    public static IEnumerable<Option> All => [Insecure, CertDir, Jobs, Json, Quiet, Verbose];
}
