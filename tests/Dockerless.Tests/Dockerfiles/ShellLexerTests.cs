using Dockerless.Dockerfiles;

namespace Dockerless.Tests.Dockerfiles;

/// <summary>The lexer's substitutions beyond BuildKit's data files, with the expectations of BuildKit's lex_test.go.</summary>
public class ShellLexerTests
{
    private static readonly ShellLexer Lexer = new();

    private static Dictionary<string, string> Variables(params string[] entries) =>
        entries.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [Theory]
    // input, variables ("K=V;K2=V2"), expected, used, unset
    [InlineData("x", "DUMMY=dummy", "x", "", "")]
    [InlineData("x ${UNUSED}", "DUMMY=dummy", "x ", "", "UNUSED")]
    [InlineData("x ${FOO}", "FOO=y", "x y", "FOO", "")]
    [InlineData("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", "FOO=xxx;BAR=", "xxx  ccc", "BAR,FOO", "BAZ")]
    [InlineData("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", "FOO=xxx;BAR=", "xxx bbb ccc", "BAR,FOO", "BAZ")]
    [InlineData("${FOO:-}", "FOO=xxx;BAR=", "xxx", "FOO", "")]
    [InlineData("${FOO:-}", "", "", "", "FOO")]
    [InlineData("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", "FOO=xxx;BAR=", "aaa bbb ", "BAR,FOO", "BAZ")]
    [InlineData("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", "FOO=xxx;BAR=", "aaa  ", "BAR,FOO", "BAZ")]
    [InlineData("${FOO?aaa}", "FOO=xxx;BAR=", "xxx", "FOO", "")]
    [InlineData("${BAR?bbb}", "FOO=xxx;BAR=", "", "BAR", "")]
    [InlineData("${FOO:?aaa}", "FOO=xxx;BAR=", "xxx", "FOO", "")]
    [InlineData(@"${FOO#()[]{\}^$.\*\?|\\}", @"FOO=()[]{}^$.*?|\x", "x", "FOO", "")]
    [InlineData(@"${FOO%%\**}", "FOO=xx**", "xx", "FOO", "")]
    [InlineData("${FOO#*x*y}", "FOO=xxyy", "y", "FOO", "")]
    [InlineData("${FOO#*}", "FOO=xxyy", "xxyy", "FOO", "")]
    [InlineData("${FOO#$BAR}", "FOO=xxyy;BAR=x", "xyy", "BAR,FOO", "")]
    [InlineData("${FOO#$BAR}", "FOO=xxyy;BAR=", "xxyy", "BAR,FOO", "")]
    [InlineData("${FOO#}", "FOO=xxyy", "xxyy", "FOO", "")]
    [InlineData("${FOO##*x}", "FOO=xxyy", "yy", "FOO", "")]
    [InlineData("${FOO##}", "FOO=xxyy", "xxyy", "FOO", "")]
    [InlineData(@"${FOO#?\?}", "FOO=???y", "?y", "FOO", "")]
    [InlineData("${ABC:-.}${FOO%x}${ABC:-.}", "FOO=xxyy", ".xxyy.", "FOO", "ABC")]
    [InlineData(@"${FOO%%\**\*}", "FOO=a***yy*", "a", "FOO", "")]
    [InlineData("${FOO%}", "FOO=xxyy", "xxyy", "FOO", "")]
    [InlineData("${FOO%%$BAR}", "FOO=xxyy;BAR=", "xxyy", "BAR,FOO", "")]
    [InlineData("${FOO%y*}", "FOO=xxyy", "xxy", "FOO", "")]
    [InlineData("${FOO%%y*}", "FOO=xxyy", "xx", "FOO", "")]
    [InlineData("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", @"FOO=/foo*/*/*.txt;NEEDLE=\*/", "/foo.*/*.txt - /foo..*.txt", "FOO,NEEDLE", "")]
    [InlineData("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", "FOO=/tmp/tmp/bar.txt;NEEDLE=/tmp", "/tmp/bar.txt - /bar.txt", "FOO,NEEDLE", "")]
    [InlineData("${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}", "FOO=/a/foo/b/c.txt;NEEDLE=/?/;REPLACEMENT=/", "/foo/b/c.txt - /foo/c.txt", "FOO,NEEDLE,REPLACEMENT", "")]
    [InlineData("${FOO/$NEEDLE/$REPLACEMENT}", "FOO=http://google.de;NEEDLE=http://;REPLACEMENT=https://", "https://google.de", "FOO,NEEDLE,REPLACEMENT", "")]
    [InlineData(@"${FOO//\//\/}", "FOO=/tmp/foo.txt", @"\/tmp\/foo.txt", "FOO", "")]
    [InlineData("${FOO/$BAR/ww}", "FOO=xxyy;BAR=", "wwxxyy", "BAR,FOO", "")]
    [InlineData("${FOO///}", "FOO=xxyy", "xxyy", "FOO", "")]
    [InlineData("${FOO///}", "", "", "", "FOO")]
    // The replacement of // is a Go regexp template: an escaped $0 is the match; / takes it literally.
    [InlineData(@"${FOO//y/[\$0]}", "FOO=xyzy", @"x[\y]z[\y]", "FOO", "")]
    [InlineData(@"${FOO/y/[\$0]}", "FOO=xyzy", @"x[\$0]zy", "FOO", "")]
    [InlineData("${FOO//y*/-}", "FOO=xyzy", "x-", "FOO", "")]
    [InlineData("${FOO//?/$}", "FOO=xyz", "$$$", "FOO", "")]
    [InlineData("$안녕 ${é:-x}", "안녕=hi", "hi x", "안녕", "é")]
    public void Expands_and_reports_the_variables_it_read(string input, string variables, string expected, string used, string unset)
    {
        var expansion = Lexer.Expand(input, Variables(variables.Split(';', StringSplitOptions.RemoveEmptyEntries)));

        Assert.Equal(expected, expansion.Text);
        Assert.Equal(used, string.Join(',', expansion.UsedVariables.Order(StringComparer.Ordinal)));
        Assert.Equal(unset, string.Join(',', expansion.UnsetVariables.Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("${BAZ?ccc}", "BAZ: ccc")]
    [InlineData("${BAR:?bbb}", "BAR: bbb")]
    [InlineData("${BAZ:?ccc}", "BAZ: ccc")]
    [InlineData("${BAZ:?}", "BAZ: is not allowed to be unset")]
    [InlineData("${BAR:?}", "BAR: is not allowed to be empty")]
    [InlineData("${BAZ?}", "BAZ: is not allowed to be unset")]
    [InlineData("${FOO=aaa}", "unsupported modifier (=) in substitution")]
    [InlineData("${FOO=:aaa}", "unsupported modifier (=) in substitution")]
    [InlineData("${FOO=}", "unsupported modifier (=) in substitution")]
    [InlineData("${FOO:#}", "unsupported modifier (:#) in substitution")]
    [InlineData("${FOO:##}", "unsupported modifier (:#) in substitution")]
    [InlineData("${FOO:%}", "unsupported modifier (:%) in substitution")]
    [InlineData("${FOO:%%}", "unsupported modifier (:%) in substitution")]
    [InlineData("${FOO//ww}", "syntax error: missing '/' in ${}")]
    [InlineData("${FOO//}", "syntax error: missing '/' in ${}")]
    [InlineData("${FOO/ww", "syntax error: missing '/' in ${}")]
    [InlineData("${}", "syntax error: bad substitution")]
    [InlineData("${FOO", "unsupported modifier (\uFFFD) in substitution")]
    [InlineData("${FOO:-\"a}", "syntax error: missing '}'")]
    [InlineData(@"${FOO#\x}", @"invalid pattern (\x) in substitution: invalid escape '\x'")]
    [InlineData("'abc", "unexpected end of statement while looking for matching single-quote")]
    [InlineData("\"abc", "unexpected end of statement while looking for matching double-quote")]
    public void Refuses_with_BuildKits_reason(string input, string reason)
    {
        var error = Assert.Throws<ShellExpansionException>(() => Lexer.ProcessWord(input, Variables("FOO=xxyy", "BAR=")));

        Assert.Equal(reason, error.Reason);
        Assert.Equal($"failed to process \"{input.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\": {reason}", error.Message);
    }

    [Fact]
    public void A_required_variable_message_is_expanded()
    {
        var error = Assert.Throws<ShellExpansionException>(() => Lexer.ProcessWord("${VAR:?message here$ARG}", Variables("VAR=", "ARG=x")));

        Assert.Contains("message herex", error.Message, StringComparison.Ordinal);
        Assert.Equal("", Lexer.ProcessWord("${VAR?message here$ARG}", Variables("VAR=", "ARG=x")));
    }

    [Theory]
    [InlineData("v7", "something-v1.2.3.linux-arm-v7.tar.gz")]
    [InlineData("", "something-v1.2.3.linux-arm-.tar.gz")]
    [InlineData(null, "something-v1.2.3.linux-arm.tar.gz")]
    public void Builds_a_release_name_from_platform_arguments(string? variant, string expected)
    {
        var variables = Variables("VERSION=v1.2.3", "TARGETOS=linux", "TARGETARCH=arm");
        if (variant is not null) variables["TARGETVARIANT"] = variant;

        var name = Lexer.ProcessWord("something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT+-${TARGETVARIANT}}.tar.gz", variables);

        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("$X ${X} ${X:-d} ${X/a/b} $Y", "$X ${X} ${X:-d} ${X/a/b} y")]
    [InlineData("'$X' \"q\"", "'$X' \"q\"")]
    public void Keeps_unset_references_and_quotes_when_asked(string input, string expected)
    {
        var lexer = new ShellLexer { KeepUnsetVariables = true, KeepQuotes = true };

        Assert.Equal(expected, lexer.ProcessWord(input, Variables("Y=y")));
    }

    [Theory]
    [InlineData("a\\ b `$X", "a\\ b $X")]
    [InlineData("`\"q`\" a\\b", "\"q\" a\\b")]
    public void Escapes_with_the_backtick_when_it_is_the_escape_token(string input, string expected)
    {
        Assert.Equal(expected, new ShellLexer('`').ProcessWord(input, Variables("X=x")));
    }

    [Theory]
    [InlineData("a ${X} c", "a|1|2|c")]
    [InlineData("a \"${X}\" c", "a|1 2|c")]
    [InlineData("a '' \"\" c", "a|c")]
    [InlineData("<<EOF x", "<<EOF|x")]
    [InlineData("<<  EOF x", "<<  EOF|x")]
    // BuildKit's lexer loses the start of a word before a ${X:-...} in the same word (see ShellWordSplitter).
    [InlineData("8${UNSET:-0}", "0")]
    public void Splits_words_after_expansion(string input, string expected)
    {
        Assert.Equal(expected.Split('|'), Lexer.ProcessWords(input, Variables("X=1 2")));
    }

    [Theory]
    [InlineData("a\\*c", "c\\*a")]
    [InlineData("\\\\\\ab", "b\\a\\\\")]
    [InlineData("ab\\", "\\ba")]
    [InlineData("👽\\🚀🖖", "🖖\\🚀👽")]
    [InlineData("\\\\b", "b\\\\")]
    public void Reverses_a_pattern(string pattern, string expected)
    {
        Assert.Equal(expected, ShellPattern.ReversePattern(pattern));
        Assert.Equal("12345", ShellPattern.Reverse("54321"));
        Assert.Equal("👽🚀🖖", ShellPattern.Reverse("🖖🚀👽"));
    }

    [Theory]
    [InlineData(@"\")]
    [InlineData(@"\x")]
    [InlineData(@"\\\")]
    public void Refuses_a_bad_escape_in_a_pattern(string pattern)
    {
        Assert.Null(ShellPattern.ToRegex(pattern, longest: true, anchored: true, out var error));
        Assert.StartsWith("invalid escape", error, StringComparison.Ordinal);
    }
}
