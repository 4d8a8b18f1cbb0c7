using Dockerless.Dockerfiles;

namespace Dockerless.Tests.Dockerfiles;

/// <summary>
/// BuildKit's parser cases (moby/buildkit, Apache-2.0, <c>frontend/dockerfile/parser/testfiles*</c>
/// at commit 73ed6825c4b7, read from the suite folder, see <see cref="BuildKitSuite"/>): each
/// Dockerfile must dump exactly as BuildKit's <c>result</c> file, and each negative one must be refused.
/// </summary>
public class ParserConformanceTests
{
    public static TheoryData<string> PositiveCases() => CaseNames("testfiles");

    public static TheoryData<string> NegativeCases() => CaseNames("testfiles-negative");

    [Theory]
    [MemberData(nameof(PositiveCases))]
    public void Dumps_as_BuildKit_does(string name)
    {
        BuildKitSuite.RequirePresent(name);
        var directory = BuildKitSuite.PathOf("parser", "testfiles", name);

        var dockerfile = DockerfileParser.Parse(File.ReadAllText(Path.Combine(directory, "Dockerfile")));

        Assert.Equal(File.ReadAllText(Path.Combine(directory, "result")), dockerfile.Dump() + "\n");
    }

    [Theory]
    [MemberData(nameof(NegativeCases))]
    public void Refuses_what_BuildKit_refuses(string name)
    {
        BuildKitSuite.RequirePresent(name);
        var text = File.ReadAllText(BuildKitSuite.PathOf("parser", "testfiles-negative", name, "Dockerfile"));

        var error = Assert.Throws<DockerfileSyntaxException>(() => DockerfileParser.Parse(text));

        Assert.StartsWith("Dockerfile:", error.Message, StringComparison.Ordinal);
    }

    private static TheoryData<string> CaseNames(string folder)
    {
        var directory = BuildKitSuite.PathOf("parser", folder);
        if (!Directory.Exists(directory)) return new TheoryData<string>(BuildKitSuite.Missing);
        return new TheoryData<string>(Directory.GetDirectories(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);
    }
}
