using Dockerless.Building;

namespace Dockerless.Tests.Building;

/// <summary>Go's path.Clean and filepath.Match, as BuildKit applies them to COPY sources.</summary>
public class GoPathsTests
{
    [Theory]
    [InlineData("", ".")]
    [InlineData("a/./b//c/", "a/b/c")]
    [InlineData("/../a/../../b", "/b")]
    [InlineData("../a", "../a")]
    public void Clean_is_Go_path_Clean(string path, string clean) => Assert.Equal(clean, GoPaths.Clean(path));

    [Theory]
    [InlineData("*.txt", "a.txt", true)]
    [InlineData("*.txt", "dir/a.txt", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("[^a]bc", "abc", false)]
    [InlineData("[!-]", "!", true)]
    [InlineData(@"\*", "*", true)]
    [InlineData("[a-", "a", false)]
    public void Match_is_Go_filepath_Match(string pattern, string name, bool matches) => Assert.Equal(matches, GoPaths.Match(pattern, name));
}
