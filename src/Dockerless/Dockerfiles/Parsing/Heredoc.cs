using System.Text.RegularExpressions;

namespace Dockerless.Dockerfiles;

/// <summary>
/// A here-document of a RUN, COPY or ADD: <c>&lt;&lt;EOF</c> and the lines up to <c>EOF</c>.
/// </summary>
/// <param name="Name">The delimiter word with its quotes removed, such as <c>EOF</c>; COPY and ADD use it as the file name.</param>
/// <param name="FileDescriptor">The descriptor written before <c>&lt;&lt;</c> (<c>3&lt;&lt;EOF</c>), 0 when none was.</param>
/// <param name="Expand">False when any part of the delimiter was quoted (<c>&lt;&lt;'EOF'</c>, <c>&lt;&lt;"EOF"</c>): then variables in the body are not expanded.</param>
/// <param name="Chomp">True for <c>&lt;&lt;-EOF</c>: leading tabs are removed from each line of the body (and the delimiter line may be indented with tabs).</param>
/// <param name="Content">The lines between the instruction and the delimiter, exactly as written, each with its line ending.</param>
public sealed partial record Heredoc(string Name, int FileDescriptor, bool Expand, bool Chomp, string Content)
{
    /// <summary>The body a command or file receives: <see cref="Content"/>, without the leading tabs of each line when <see cref="Chomp"/> is set.</summary>
    public string Body => Chomp ? RemoveLeadingTabs(Content) : Content;

    /// <summary><paramref name="text"/> without the tabs that start each of its lines.</summary>
    public static string RemoveLeadingTabs(string text) => LeadingTabs().Replace(text, "");

    [GeneratedRegex(@"^\t+", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingTabs();
}
