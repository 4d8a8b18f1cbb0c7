using System.Text;

namespace Dockerless.Dockerfiles;

/// <summary>The <c>$VAR</c> and <c>${VAR...}</c> forms.</summary>
internal sealed partial class ShellWordProcessor
{
    private const string MissingBrace = "syntax error: missing '}'";

    /// <summary>Expands the <c>$</c> reference at the current position.</summary>
    private string ExpandDollar()
    {
        Next();
        if (Peek() != '{')
        {
            var bareName = ReadName();
            if (bareName.Length == 0) return "$";
            var found = TryGetVariable(bareName, out var bareValue);
            return !found && _lexer.KeepUnsetVariables ? "$" + bareName : bareValue;
        }
        Next();
        switch (Peek())
        {
            case End:
                throw Refuse(MissingBrace);
            case '{' or '}' or ':':
                throw Refuse("syntax error: bad substitution");
        }
        var name = ReadName();
        var modifier = Next();
        switch (modifier)
        {
            case '}':
                var set = TryGetVariable(name, out var value);
                return !set && _lexer.KeepUnsetVariables ? "${" + name + "}" : value;
            case ':' or '+' or '-' or '?' or '#' or '%':
                return ExpandWithOperand(name, modifier);
            case '/':
                return ExpandReplacement(name);
            default:
                throw Refuse($"unsupported modifier ({CodePoints.Text(modifier)}) in substitution");
        }
    }

    /// <summary>
    /// <c>${VAR-x}</c>, <c>${VAR+x}</c>, <c>${VAR?x}</c> (each also with <c>:</c>, which treats an
    /// empty value as unset), <c>${VAR#pat}</c>, <c>${VAR##pat}</c>, <c>${VAR%pat}</c> and <c>${VAR%%pat}</c>.
    /// </summary>
    private string ExpandWithOperand(string name, int modifier)
    {
        var written = CodePoints.Text(modifier);
        var emptyIsUnset = modifier == ':';
        var operation = modifier;
        if (emptyIsUnset)
        {
            operation = Next();
            written += CodePoints.Text(operation);
        }
        var isPattern = operation is '#' or '%';
        if (emptyIsUnset && isPattern) throw Refuse($"unsupported modifier ({written}) in substitution");
        // A pattern keeps its escapes: they decide whether * and ? are wildcards.
        var operand = ReadOperand('}', isPattern, MissingBrace);
        var set = TryGetVariable(name, out var value);
        if (!set && _lexer.KeepUnsetVariables) return "${" + name + written + operand + "}";
        var absent = !set || (emptyIsUnset && value.Length == 0);
        switch (operation)
        {
            case '-':
                return absent ? operand : value;
            case '+':
                return absent ? "" : operand;
            case '?':
                if (!set) throw Refuse($"{name}: {(operand.Length > 0 ? operand : "is not allowed to be unset")}");
                if (absent) throw Refuse($"{name}: {(operand.Length > 0 ? operand : "is not allowed to be empty")}");
                return value;
            case '#' or '%':
                var longest = operand.Length > 0 && operand[0] == operation;
                var pattern = longest ? operand[1..] : operand;
                var trimmed = operation == '#'
                    ? ShellPattern.TrimPrefix(pattern, value, longest, out var error)
                    : ShellPattern.TrimSuffix(pattern, value, longest, out error);
                return trimmed ?? throw Refuse($"invalid pattern ({pattern}) in substitution: {error}");
            default:
                throw Refuse($"unsupported modifier ({written}) in substitution");
        }
    }

    /// <summary><c>${VAR/pattern/replacement}</c> (the first match) and <c>${VAR//pattern/replacement}</c> (every match).</summary>
    private string ExpandReplacement(string name)
    {
        var everyMatch = Peek() == '/';
        if (everyMatch) Next();
        var pattern = ReadOperand('/', rawEscapes: true, "syntax error: missing '/' in ${}");
        var replacement = ReadOperand('}', rawEscapes: true, MissingBrace);
        var set = TryGetVariable(name, out var value);
        if (!set && _lexer.KeepUnsetVariables) return "${" + name + "/" + pattern + "/" + replacement + "}";
        var regex = ShellPattern.ToRegex(pattern, longest: true, anchored: false, out var error)
            ?? throw Refuse($"invalid pattern ({pattern}) in substitution: {error}");
        if (everyMatch) return GoRegexReplacement.ReplaceAll(regex, value, replacement);
        var match = regex.Match(value);
        return match.Success ? value[..match.Index] + replacement + value[(match.Index + match.Length)..] : value;
    }

    /// <summary>The expanded text up to <paramref name="stop"/>; reaching the end first is <paramref name="missing"/>.</summary>
    private string ReadOperand(int stop, bool rawEscapes, string missing)
    {
        try
        {
            return ProcessUntil(stop, rawEscapes).Text;
        }
        catch (ShellExpansionException) when (Peek() == End)
        {
            throw Refuse(missing);
        }
    }

    /// <summary>
    /// A variable name: letters, digits and <c>_</c>; or all the digits of a positional parameter;
    /// or one special parameter character (<c>@ * # ? - $ ! 0</c>).
    /// </summary>
    private string ReadName()
    {
        var name = new StringBuilder();
        while (Peek() != End)
        {
            var c = Peek();
            if (name.Length == 0 && IsDigit(c))
            {
                while (Peek() != End && IsDigit(Peek())) name.AppendCodePoint(Next());
                return name.ToString();
            }
            if (name.Length == 0 && c is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
            {
                return CodePoints.Text(Next());
            }
            if (!IsLetter(c) && !IsDigit(c) && c != '_') break;
            name.AppendCodePoint(Next());
        }
        return name.ToString();
    }

    private static bool IsDigit(int point) => Rune.IsDigit(new Rune(point));

    private static bool IsLetter(int point) => Rune.IsLetter(new Rune(point));

    /// <summary>Looks <paramref name="name"/> up and records it as used or unset.</summary>
    private bool TryGetVariable(string name, out string value)
    {
        if (_variables.TryGetValue(name, out var found))
        {
            _used.Add(name);
            value = found;
            return true;
        }
        _unset.Add(name);
        value = "";
        return false;
    }
}
