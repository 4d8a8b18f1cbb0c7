using Dockerless.Building;

namespace Dockerless.Tests.Building;

/// <summary>.dockerignore patterns as moby's patternmatcher reads them.</summary>
public class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/guide.md", false)]
    [InlineData("**/*.md", "docs/guide.md", true)]
    [InlineData("**/*.md", "guide.md", true)]
    [InlineData("docs", "docs/deep/file.txt", true)]
    [InlineData("/docs/", "docs/file.txt", true)]
    [InlineData("d?cs", "docs", true)]
    [InlineData("[a-c]*.txt", "b1.txt", true)]
    [InlineData("[a-c]*.txt", "d1.txt", false)]
    [InlineData("# comment", "# comment", false)]
    [InlineData("logs/**", "logs/a/b.log", true)]
    [InlineData("./build/../dist", "dist/x", true)]
    public void A_pattern_excludes_what_it_and_its_parents_match(string pattern, string path, bool excluded)
        => Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));

    [Fact]
    public void The_last_matching_line_decides_and_exceptions_bring_files_back()
    {
        var ignore = DockerIgnore.Parse("*.md\n!README.md\ndir/sub\n!dir/sub/keep.md\n");
        Assert.True(ignore.IsExcluded("CHANGES.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("dir/sub/x.txt"));
        Assert.False(ignore.IsExcluded("dir/sub/keep.md"));
        Assert.True(ignore.HasExceptions);
    }
}
