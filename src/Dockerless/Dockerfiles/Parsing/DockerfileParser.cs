using System.Text;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Reads a Dockerfile as BuildKit's Dockerfile frontend (syntax 1.x) does: parser directives,
/// comments, line continuations, heredocs, and each instruction's flags and arguments.
/// Arguments are not expanded here (see <see cref="ShellLexer"/>) and are not checked against
/// their instruction (see <see cref="InstructionParser"/>).
/// </summary>
public static class DockerfileParser
{
    /// <summary>The name errors use when none is given.</summary>
    public const string DefaultFileName = "Dockerfile";

    /// <summary>Parses the Dockerfile at <paramref name="path"/>; errors name the file as <paramref name="path"/> is written.</summary>
    public static Dockerfile ParseFile(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>
    /// Parses <paramref name="text"/>. Throws <see cref="DockerfileSyntaxException"/> naming
    /// <paramref name="fileName"/> and the line for what BuildKit's parser refuses: a file without
    /// instructions, a repeated directive, a bad escape character, ENV or LABEL without a value,
    /// an exec form that is not all strings, an unterminated heredoc.
    /// </summary>
    public static Dockerfile Parse(string text, string fileName = DefaultFileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        return new Reading(text, fileName).ReadAll();
    }

    /// <summary>The state of one parse.</summary>
    private sealed class Reading(string text, string fileName)
    {
        private readonly PhysicalLines _lines = new(text.StartsWith('\uFEFF') ? text[1..] : text);
        private readonly DirectiveReader _directives = new();
        private readonly List<DockerfileNode> _nodes = [];
        private readonly List<DockerfileWarning> _warnings = [];
        private List<string> _comments = [];

        public Dockerfile ReadAll()
        {
            while (_lines.TryRead(out var raw))
            {
                if (ReadInstruction(raw) is { } node)
                {
                    _nodes.Add(node);
                    _comments = [];
                }
            }
            if (_nodes.Count == 0) throw new DockerfileSyntaxException(fileName, _lines.Number, _lines.Number, "file with no instructions");
            return new Dockerfile(fileName, _directives.Directives, _directives.EscapeToken, _nodes, _warnings);
        }

        /// <summary>The instruction that starts on <paramref name="raw"/>, or null for a blank, comment or directive line.</summary>
        private DockerfileNode? ReadInstruction(string raw)
        {
            var startLine = _lines.Number;
            if (IsComment(raw)) NoteComment(raw);
            var content = TrimLineEnding(raw).TrimStart();
            bool isDirective;
            try
            {
                isDirective = _directives.TryRead(content, startLine);
            }
            catch (DockerfileSyntaxException e) when (e.IsUnplaced)
            {
                throw e.At(fileName, startLine, startLine);
            }
            // A directive is a comment too, but not one that describes the next instruction.
            if (isDirective) _comments.RemoveAt(_comments.Count - 1);
            if (IsComment(content)) content = "";
            var ended = LineContinuation.Trim(content, _directives.EscapeToken, out var first);
            if (ended && first.Length == 0) return null;

            var logical = new StringBuilder(first);
            var hasEmptyContinuation = false;
            while (!ended && _lines.TryRead(out raw))
            {
                // Comments inside an instruction are dropped, and so are blank lines (with a warning).
                if (IsComment(raw)) continue;
                var next = TrimLineEnding(raw);
                if (LineContinuation.IsBlank(next))
                {
                    hasEmptyContinuation = true;
                    continue;
                }
                ended = LineContinuation.Trim(next, _directives.EscapeToken, out next);
                logical.Append(next);
            }
            var line = logical.ToString();
            if (hasEmptyContinuation)
            {
                _warnings.Add(new DockerfileWarning($"Empty continuation line found in: {line}", _lines.Number));
            }
            var parsed = Placed(() => LineSplitter.Split(line, _directives.EscapeToken), startLine);
            var heredocs = parsed.CanContainHeredoc && line.Contains("<<", StringComparison.Ordinal)
                ? ReadHeredocs(Placed(() => HeredocDetector.FromLine(line), startLine), startLine)
                : [];
            return parsed.ToNode(heredocs, [.. _comments], startLine, _lines.Number);
        }

        /// <summary>The bodies of <paramref name="opened"/>, read one after the other from the lines that follow.</summary>
        private List<Heredoc> ReadHeredocs(List<Heredoc> opened, int startLine)
        {
            var read = new List<Heredoc>(opened.Count);
            foreach (var heredoc in opened)
            {
                var content = new StringBuilder();
                var terminated = false;
                while (_lines.TryRead(out var raw))
                {
                    var candidate = TrimLineEnding(raw);
                    if (heredoc.Chomp) candidate = candidate.TrimStart('\t');
                    if (candidate == heredoc.Name)
                    {
                        terminated = true;
                        break;
                    }
                    content.Append(raw);
                }
                if (!terminated) throw new DockerfileSyntaxException(fileName, startLine, _lines.Number, "unterminated heredoc");
                read.Add(heredoc with { Content = content.ToString() });
            }
            return read;
        }

        /// <summary>Runs <paramref name="step"/>, placing its fault at the instruction's lines.</summary>
        private T Placed<T>(Func<T> step, int startLine)
        {
            try
            {
                return step();
            }
            catch (DockerfileSyntaxException e) when (e.IsUnplaced)
            {
                throw e.At(fileName, startLine, _lines.Number);
            }
        }

        /// <summary>Keeps a comment for the next instruction; an empty comment starts them anew.</summary>
        private void NoteComment(string raw)
        {
            // BuildKit drops the first character of the raw line, which is the # unless the line is indented.
            var comment = raw[1..].Trim();
            if (comment.Length == 0) _comments.Clear();
            else _comments.Add(comment);
        }

        private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

        private static string TrimLineEnding(string line) => line.TrimEnd('\r', '\n');
    }
}
