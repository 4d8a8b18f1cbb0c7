using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Dockerless.Cli.Commands;

/// <summary>Options and arguments several verbs share, with one spelling.</summary>
internal static class CommonOptions
{
    /// <summary><c>-t/--tag DST</c>: the destination location.</summary>
    public static Option<string> Destination() => new("--tag", "-t")
    {
        Description = "Where to write the image: REF, docker://REF, docker-archive:PATH[:REF], oci:PATH[:TAG], oci-archive:PATH[:TAG], docker-daemon:REF",
        HelpName = "DST",
        Required = true,
    };

    /// <summary><c>--platform os/arch[/variant]</c>.</summary>
    public static Option<string?> Platform(string description = "The platform, os/arch[/variant] (default: linux and the host's architecture)") => new("--platform")
    {
        Description = description,
        HelpName = "os/arch[/variant]",
    };

    public static Argument<string> Source(string name = "SRC") => new(name)
    {
        Description = "The image: REF, docker://REF, docker-archive:PATH[:REF], oci:PATH[:TAG], oci-archive:PATH[:TAG], docker-daemon:REF or scratch",
    };

    /// <summary>
    /// The parser of a whole-number option (set as its <c>CustomParser</c>): a value that is not a
    /// number, is out of <see cref="int"/>'s range or is below <paramref name="minimum"/> is a parse
    /// error naming the option and the value (exit 2), never an exception.
    /// </summary>
    public static int ParseCount(ArgumentResult result, string name, int minimum)
    {
        if (result.Tokens.Count == 0) return minimum;
        var text = result.Tokens[^1].Value;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            result.AddError($"{name} {text}: expected a whole number from {minimum} to {int.MaxValue}");
            return minimum;
        }
        return value;
    }

    /// <summary><paramref name="value"/> of the argument <paramref name="name"/>; an empty one is a usage error naming it.</summary>
    public static string NonEmptyPath(string value, string verb, string name, string what)
        => value.Length > 0 ? value : throw new UsageException($"{verb}: {name} is empty: expected {what}");

    /// <summary>Parses a source location; a bad one is a usage error.</summary>
    public static ImageLocation SourceLocation(string text) => Location(() => ImageLocation.Parse(text));

    /// <summary>Parses a destination location; a bad one is a usage error.</summary>
    public static ImageLocation DestinationLocation(string text) => Location(() => ImageLocation.ParseDestination(text));

    private static ImageLocation Location(Func<ImageLocation> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidLocationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Parses a platform flag's value; a bad one is a usage error.</summary>
    public static Platform? ParsePlatform(string? value)
    {
        if (value is null) return null;
        try
        {
            return Content.Platform.Parse(value);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--platform: {e.Message}");
        }
    }
}
