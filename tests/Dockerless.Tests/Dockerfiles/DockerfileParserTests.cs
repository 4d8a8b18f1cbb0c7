using Dockerless.Dockerfiles;

namespace Dockerless.Tests.Dockerfiles;

/// <summary>Line numbers, directives, the escape character, comments, flags and error messages of the parser.</summary>
public class DockerfileParserTests
{
    [Fact]
    public void Counts_lines_across_directives_blank_lines_comments_and_continuations()
    {
        var text = string.Join('\n',
            "# escape=\\",          // 1
            "",                     // 2
            "",                     // 3
            "",                     // 4
            "FROM busybox",         // 5
            "",                     // 6
            "# a comment",          // 7
            "ENV A \\",             // 8
            "/a",                   // 9
            "",                     // 10
            "RUN one \\",           // 11
            "\ttwo \\",             // 12
            "",                     // 13
            "# dropped comment",    // 14
            "    three \\",         // 15
            "    four",             // 16
            "",                     // 17
            "");

        var dockerfile = DockerfileParser.Parse(text);

        Assert.Equal([(5, 5), (8, 9), (11, 16)], dockerfile.Nodes.Select(n => (n.StartLine, n.EndLine)));
        Assert.Equal("RUN one \ttwo     three     four", dockerfile.Nodes[2].Original);
        Assert.Equal(new DockerfileWarning("Empty continuation line found in: RUN one \ttwo     three     four", 16), dockerfile.Warnings.Single());
    }

    [Fact]
    public void The_escape_directive_makes_the_backtick_continue_lines_and_leaves_backslashes_alone()
    {
        var dockerfile = DockerfileParser.Parse("# escape=`\n\nFROM windows\nCOPY `\n  c:\\src `\n  c:\\dst\nRUN dir c:\\ \\\n");

        Assert.Equal('`', dockerfile.EscapeToken);
        Assert.Equal(new ParserDirective("escape", "`", 1), dockerfile.Directives.Single());
        Assert.Equal("(from \"windows\")\n(copy \"c:\\\\src\" \"c:\\\\dst\")\n(run \"dir c:\\\\ \\\\\")", dockerfile.Dump());
    }

    [Fact]
    public void Reads_every_directive_and_the_syntax()
    {
        var dockerfile = DockerfileParser.Parse("#syntax = docker/dockerfile:1.7 \n# CHECK=skip=all\n#escape=\\\nFROM a\n");

        Assert.Equal(
            [new ParserDirective("syntax", "docker/dockerfile:1.7", 1), new ParserDirective("check", "skip=all", 2), new ParserDirective("escape", "\\", 3)],
            dockerfile.Directives);
        Assert.Equal("docker/dockerfile:1.7", dockerfile.Syntax);
        Assert.Empty(dockerfile.Nodes[0].Comments);
    }

    [Theory]
    [InlineData("# comment\n# escape=`\nFROM a\nRUN x `\n")]
    [InlineData("\n# escape=`\nFROM a\nRUN x `\n")]
    [InlineData("FROM a\n# escape=`\nRUN x `\n")]
    [InlineData("# unknown=1\n# escape=`\nFROM a\nRUN x `\n")]
    public void Directives_count_only_at_the_very_top(string text)
    {
        var dockerfile = DockerfileParser.Parse(text);

        Assert.Equal('\\', dockerfile.EscapeToken);
        Assert.Equal("(run \"x `\")", "(" + dockerfile.Nodes[^1].Dump() + ")");
    }

    [Theory]
    [InlineData("# escape=\\\n# escape=`\nFROM a\n", "Dockerfile:2: only one escape parser directive can be used")]
    [InlineData("# syntax=a\n# Syntax=b\nFROM a\n", "Dockerfile:2: only one syntax parser directive can be used")]
    [InlineData("# escape=x\nFROM a\n", "Dockerfile:1: invalid escape token 'x' does not match ` or \\")]
    [InlineData("", "Dockerfile: file with no instructions")]
    [InlineData("# only\n\n# comments\n", "Dockerfile:3: file with no instructions")]
    [InlineData("FROM a\n\nENV PATH\n", "Dockerfile:3: ENV must have two arguments")]
    [InlineData("FROM a\nLABEL a=b \\\n  c\n", "Dockerfile:2: Syntax error - can't find = in \"c\". Must be of the form: name=value")]
    [InlineData("FROM a\nCMD [\"a\", 1]\n", "Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only")]
    public void Refuses_with_the_file_line_and_BuildKits_words(string text, string message)
    {
        var error = Assert.Throws<DockerfileSyntaxException>(() => DockerfileParser.Parse(text));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Names_the_file_it_was_given()
    {
        var error = Assert.Throws<DockerfileSyntaxException>(() => DockerfileParser.Parse("FROM a\nENV X\n", "build/app.Dockerfile"));

        Assert.Equal("build/app.Dockerfile:2: ENV must have two arguments", error.Message);
        Assert.Equal(("build/app.Dockerfile", 2, "ENV must have two arguments"), (error.FileName, error.Line, error.Reason));
    }

    [Fact]
    public void Keeps_the_comments_above_an_instruction_and_drops_those_inside_it()
    {
        var dockerfile = DockerfileParser.Parse("# syntax=x\n# old\n#\n# Stage doc\n  # indented\nFROM a AS b\nRUN a \\\n# inside\n b\n");

        Assert.Equal(["Stage doc", "# indented"], dockerfile.Nodes[0].Comments);
        Assert.Empty(dockerfile.Nodes[1].Comments);
        Assert.Equal("a  b", dockerfile.Nodes[1].Arguments.Single());
    }

    [Fact]
    public void Reads_crlf_line_endings_and_a_byte_order_mark()
    {
        var dockerfile = DockerfileParser.Parse("\uFEFF# escape=`\r\nFROM a\r\nRUN b `\r\n  c\r\n");

        Assert.Equal('`', dockerfile.EscapeToken);
        Assert.Equal("(from \"a\")\n(run \"b   c\")", dockerfile.Dump());
    }

    [Theory]
    [InlineData("COPY --from=build --chown=1:1 a b", "copy [\"--from=build\" \"--chown=1:1\"] \"a\" \"b\"")]
    [InlineData("RUN --mount=type=cache,target=/root/.cache --network=none make", "run [\"--mount=type=cache,target=/root/.cache\" \"--network=none\"] \"make\"")]
    [InlineData("COPY --chown=\"a b\" -- --x y", "copy [\"--chown=a b\"] \"--x\" \"y\"")]
    [InlineData("HEALTHCHECK --interval=5s CMD [\"curl\", \"-f\"]", "healthcheck [\"--interval=5s\"] \"CMD\" \"curl\" \"-f\"")]
    [InlineData("ONBUILD RUN --network=host x", "onbuild (run [\"--network=host\"] \"x\")")]
    [InlineData("ENV a=1 b=\"2 3\"", "env \"a\" \"1\" \"=\" \"b\" \"\\\"2 3\\\"\" \"=\"")]
    [InlineData("ENV a 1 2", "env \"a\" \"1 2\" \"\"")]
    [InlineData("ARG a b=2 c=", "arg \"a\" \"b=2\" \"c=\"")]
    [InlineData("FROM --platform=$BUILDPLATFORM golang AS build", "from [\"--platform=$BUILDPLATFORM\"] \"golang\" \"AS\" \"build\"")]
    [InlineData("MAINTAINER  Jane Doe <jane@example.com> ", "maintainer \"Jane Doe <jane@example.com>\"")]
    [InlineData("SHELL [\"/bin/bash\", \"-c\"]", "shell \"/bin/bash\" \"-c\"")]
    [InlineData("STOPSIGNAL SIGTERM", "stopsignal \"SIGTERM\"")]
    [InlineData("VOLUME [\"/a\", \"/b c\"]", "volume \"/a\" \"/b c\"")]
    [InlineData("FOOBAR x y", "foobar")]
    public void Splits_flags_and_arguments_as_BuildKit_does(string line, string dump)
    {
        Assert.Equal(dump, DockerfileParser.Parse(line).Nodes.Single().Dump());
    }

    [Theory]
    [InlineData("foo", "foo")]
    [InlineData("foo bar", "foo|bar")]
    [InlineData("foo\\ bar", "foo\\ bar")]
    [InlineData("foo=bar", "foo=bar")]
    [InlineData("foo bar 'abc xyz'", "foo|bar|'abc xyz'")]
    [InlineData("foo bar \"abc xyz\"", "foo|bar|\"abc xyz\"")]
    [InlineData("àöû", "àöû")]
    [InlineData("föo bàr \"âbc xÿz\"", "föo|bàr|\"âbc xÿz\"")]
    [InlineData("a='' b", "a=''|b")]
    public void Splits_argument_words_keeping_quotes_and_escapes(string text, string words)
    {
        Assert.Equal(words.Split('|'), ArgumentWords.Split(text, '\\'));
    }

    [Fact]
    public void Tells_the_exec_form_from_the_shell_form()
    {
        var nodes = DockerfileParser.Parse("CMD [\"a\"]\nCMD ['a']\nCMD [\"a\",]\nCMD [] \nCMD [\"\\ud800x\"]\n").Nodes;

        Assert.Equal([true, false, false, true, true], nodes.Select(n => n.IsJsonForm));
        Assert.Equal("\uFFFDx", nodes[4].Arguments.Single());
    }
}
