using Dockerless.Dockerfiles;

namespace Dockerless.Tests.Dockerfiles;

/// <summary>
/// BuildKit's shell-lexer cases (moby/buildkit, Apache-2.0, <c>frontend/dockerfile/shell/envVarTest</c>
/// and <c>wordsTest</c> at commit 73ed6825c4b7, read from the suite folder, see
/// <see cref="BuildKitSuite"/>), run as BuildKit's <c>lex_test.go</c> runs them on Unix.
/// </summary>
public class ShellConformanceTests
{
    /// <summary>The environment <c>envVarTest</c> runs with.</summary>
    private static readonly Dictionary<string, string> EnvVarTestVariables = new()
    {
        ["PWD"] = "/home",
        ["SHELL"] = "bash",
        ["KOREAN"] = "한국어",
        ["NULL"] = "",
    };

    /// <summary>Every <c>A|</c> (all platforms) and <c>U|</c> (Unix) line of envVarTest: line number, input, expected ("error" for a refusal).</summary>
    public static TheoryData<int, string, string> EnvVarCases()
    {
        var cases = new TheoryData<int, string, string>();
        var path = BuildKitSuite.PathOf("shell", "envVarTest");
        if (!File.Exists(path))
        {
            cases.Add(0, BuildKitSuite.Missing, "");
            return cases;
        }
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (raw.StartsWith('#') || line.Length == 0) continue;
            var parts = line.Split('|');
            Assert.True(parts.Length == 3, $"envVarTest line {lineNumber} does not have three parts: {line}");
            var platform = parts[0].Trim();
            Assert.True(platform is "A" or "U" or "W", $"envVarTest line {lineNumber} has platform {platform}");
            if (platform != "W") cases.Add(lineNumber, parts[1].Trim(), parts[2].Trim());
        }
        return cases;
    }

    /// <summary>Every case line of wordsTest: line number, input, expected words joined by commas, and the ENV lines above it.</summary>
    public static TheoryData<int, string, string, string[]> WordsCases()
    {
        var cases = new TheoryData<int, string, string, string[]>();
        var path = BuildKitSuite.PathOf("shell", "wordsTest");
        if (!File.Exists(path))
        {
            cases.Add(0, BuildKitSuite.Missing, "", []);
            return cases;
        }
        var environment = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.StartsWith('#')) continue;
            if (line.StartsWith("ENV ", StringComparison.Ordinal))
            {
                environment.Add(line[3..].TrimStart(' '));
                continue;
            }
            var parts = line.Split('|');
            Assert.True(parts.Length == 2, $"wordsTest line {lineNumber} should have exactly one |: {line}");
            cases.Add(lineNumber, parts[0].Trim(), parts[1].TrimStart(' '), [.. environment]);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(EnvVarCases))]
    public void EnvVarTest_line_expands_as_BuildKit_does(int line, string input, string expected)
    {
        BuildKitSuite.RequirePresent(input);
        var lexer = new ShellLexer('\\');

        if (expected == "error")
        {
            Assert.Throws<ShellExpansionException>(() => lexer.ProcessWord(input, EnvVarTestVariables));
        }
        else
        {
            Assert.True(line > 0);
            Assert.Equal(expected, lexer.ProcessWord(input, EnvVarTestVariables));
        }
    }

    [Theory]
    [MemberData(nameof(WordsCases))]
    public void WordsTest_line_splits_as_BuildKit_does(int line, string input, string expected, string[] environment)
    {
        BuildKitSuite.RequirePresent(input);
        var variables = new Dictionary<string, string>();
        foreach (var entry in environment)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            variables[equals < 0 ? entry : entry[..equals]] = equals < 0 ? "" : entry[(equals + 1)..];
        }
        var lexer = new ShellLexer('\\');

        IReadOnlyList<string> words;
        try
        {
            words = lexer.ProcessWords(input, variables);
        }
        catch (ShellExpansionException)
        {
            words = ["error"];
        }

        Assert.True(line > 0);
        Assert.Equal(expected.Split(','), words);
    }
}
