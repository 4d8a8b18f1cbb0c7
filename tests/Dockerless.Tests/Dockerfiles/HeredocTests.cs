using Dockerless.Dockerfiles;

namespace Dockerless.Tests.Dockerfiles;

/// <summary>Heredocs as BuildKit reads them (the expectations of its parser_heredoc_test.go).</summary>
public class HeredocTests
{
    private static DockerfileNode Second(string text) => DockerfileParser.Parse("FROM alpine\n" + text).Nodes[1];

    [Theory]
    // instruction and body, then the expected heredocs as name|fd|expand|chomp|content, separated by ;
    [InlineData("RUN <<EMPTY\nEMPTY\n", "EMPTY|0|True|False|")]
    [InlineData("RUN 3<<EMPTY2\nEMPTY2\n", "EMPTY2|3|True|False|")]
    [InlineData("RUN <<INDENT\n\tfoo\n\tbar\nINDENT\n", "INDENT|0|True|False|\tfoo\n\tbar\n")]
    [InlineData("RUN <<-UNINDENT\n\tbaz\n\tquux\nUNINDENT\n", "UNINDENT|0|True|True|\tbaz\n\tquux\n")]
    [InlineData("RUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2\n", "UNINDENT2|0|True|True|\tbaz\n\tquux\n")]
    [InlineData("RUN <<-EXPAND\n\texpand $NAME\nEXPAND\n", "EXPAND|0|True|True|\texpand $NAME\n")]
    [InlineData("RUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n", "NOEXPAND|0|False|True|\tdon't expand $NAME\n")]
    [InlineData("RUN <<COMMENT\n# internal comment\necho hi # trailing\nCOMMENT\n", "COMMENT|0|True|False|# internal comment\necho hi # trailing\n")]
    [InlineData("RUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n", "MOUNT|0|True|False|echo hello\n")]
    [InlineData("COPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\n", "FILE1|0|True|False|content 1\n;FILE2|0|True|False|content 2\n")]
    [InlineData("COPY <<EOF /quotes\n\"foo\"\n'bar'\nEOF\n", "EOF|0|True|False|\"foo\"\n'bar'\n")]
    [InlineData("COPY <<X <<Y /dest\nY\nX\nX\nY\n", "X|0|True|False|Y\n;Y|0|True|False|X\n")]
    [InlineData("RUN <<COMPLEX python3\nprint('hello world')\nCOMPLEX\n", "COMPLEX|0|True|False|print('hello world')\n")]
    [InlineData("COPY <<file.txt /dest\nhello world\nfile.txt\n", "file.txt|0|True|False|hello world\n")]
    [InlineData("RUN <<eo'f'\necho foo\neof\n", "eof|0|False|False|echo foo\n")]
    [InlineData("RUN <<eo\\'f\necho foo\neo'f\n", "eo'f|0|True|False|echo foo\n")]
    [InlineData("RUN <<'e'o\\'f\necho foo\neo'f\n", "eo'f|0|False|False|echo foo\n")]
    [InlineData("RUN <<'one two'\necho bar\none two\n", "one two|0|False|False|echo bar\n")]
    [InlineData("RUN <<\"EOF\"\n$X\nEOF\n", "EOF|0|False|False|$X\n")]
    [InlineData("RUN <<$EOF\n$EOF\n", "$EOF|0|True|False|")]
    [InlineData("RUN <<  EOF\nEOF\n", "EOF|0|True|False|")]
    [InlineData("RUN <<  EOF  > foo\nEOF\n", "EOF|0|True|False|")]
    [InlineData("ADD <<EOF /x\ny\r\nEOF\r\n", "EOF|0|True|False|y\r\n")]
    [InlineData("ONBUILD RUN <<EOF\necho on\nEOF\n", "EOF|0|True|False|echo on\n")]
    [InlineData("USER <<INVALID\n", "")]
    [InlineData("RUN \"<<NOHEREDOC\"\n", "")]
    [InlineData("RUN '<<EOF'\n", "")]
    [InlineData("RUN [\"<<EOF\"]\n", "")]
    [InlineData("RUN [\"<<'EOF'\"]\n", "")]
    public void Reads_the_heredocs_an_instruction_opens(string text, string expected)
    {
        var node = Second(text);

        var actual = node.Heredocs.Select(h => $"{h.Name}|{h.FileDescriptor}|{h.Expand}|{h.Chomp}|{h.Content}");
        Assert.Equal(expected, string.Join(';', actual));
    }

    [Fact]
    public void Several_heredocs_on_one_line_are_read_one_after_the_other_and_the_lines_counted()
    {
        var dockerfile = DockerfileParser.Parse("FROM a\nCOPY <<A <<B /\na\nA\nb\nB\nRUN x\n");

        Assert.Equal((2, 6), (dockerfile.Nodes[1].StartLine, dockerfile.Nodes[1].EndLine));
        Assert.Equal((7, 7), (dockerfile.Nodes[2].StartLine, dockerfile.Nodes[2].EndLine));
        Assert.Equal("(from \"a\")\n(copy \"<<A\" \"<<B\" \"/\")\n(run \"x\")", dockerfile.Dump());
    }

    [Fact]
    public void A_chomped_body_loses_the_leading_tabs_of_each_line()
    {
        var heredoc = Second("RUN <<-EOF\n\thello\n\t\tworld\n  kept\n\tEOF\n").Heredocs.Single();

        Assert.Equal("\thello\n\t\tworld\n  kept\n", heredoc.Content);
        Assert.Equal("hello\nworld\n  kept\n", heredoc.Body);
        Assert.Equal("hello\nworld\n", Heredoc.RemoveLeadingTabs("\thello\n\tworld\n"));
    }

    [Fact]
    public void The_onbuild_trigger_carries_the_heredoc_too()
    {
        var node = Second("ONBUILD COPY <<EOF /x\nbody\nEOF\n");

        Assert.Equal("body\n", node.Trigger!.Heredocs.Single().Content);
        Assert.Equal("onbuild (copy \"<<EOF\" \"/x\")", node.Dump());
    }

    [Fact]
    public void An_unterminated_heredoc_names_the_instruction_line()
    {
        var error = Assert.Throws<DockerfileSyntaxException>(() => DockerfileParser.Parse("FROM a\n\nRUN <<EOF\necho\nEOF \n"));

        Assert.Equal("Dockerfile:3: unterminated heredoc", error.Message);
        Assert.Equal((3, 5), (error.Line, error.EndLine));
    }

    [Theory]
    [InlineData("<<EOF")]
    [InlineData("<<'EOF'")]
    [InlineData("<<\"EOF\"")]
    [InlineData("<<-EOF")]
    [InlineData("<<-'EOF'")]
    [InlineData("<<-\"EOF\"")]
    [InlineData("<<EO\"F\"")]
    [InlineData("<< EOF")]
    [InlineData("<<- EOF")]
    public void Reads_a_delimiter(string word)
    {
        Assert.Equal("EOF", HeredocDetector.Parse(word)?.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("EOF")]
    [InlineData("<<")]
    [InlineData("<<-")]
    [InlineData("<EOF")]
    [InlineData("<<<EOF")]
    [InlineData("<<EOF sh")]
    public void Sees_no_heredoc_in(string word)
    {
        Assert.Null(HeredocDetector.Parse(word));
    }

    [Theory]
    [InlineData("<<'EOF")]
    [InlineData("<<\"EOF")]
    [InlineData("<<EOF'")]
    [InlineData("<<EOF\"")]
    public void Refuses_an_unterminated_quote_in_a_delimiter(string word)
    {
        Assert.Throws<DockerfileSyntaxException>(() => HeredocDetector.Parse(word));
    }

    [Theory]
    [InlineData("RUN <<EOF", "EOF")]
    [InlineData("RUN <<-EOF", "EOF")]
    // The lexer splits "<<-" from "EOF" here, so BuildKit finds no heredoc either.
    [InlineData("RUN <<- EOF", "")]
    [InlineData("RUN << -EOF", "-EOF")]
    [InlineData("RUN <<'EOF'", "EOF")]
    [InlineData("RUN 4<<EOF", "EOF")]
    [InlineData("RUN <<EOF <<EOF2", "EOF,EOF2")]
    [InlineData("RUN '<<EOF'", "")]
    [InlineData("RUN \"<<EOF\"", "")]
    public void Finds_the_delimiters_of_a_line(string line, string names)
    {
        Assert.Equal(names, string.Join(',', HeredocDetector.FromLine(line).Select(h => h.Name)));
    }
}
