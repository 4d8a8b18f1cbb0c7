using Dockerless.Cli;
using Dockerless.Cli.Commands;

namespace Dockerless.Tests.Cli;

/// <summary>docker's --env-file format.</summary>
public sealed class EnvFileTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Values_are_verbatim_and_a_bare_name_takes_this_environments_value_or_nothing()
    {
        File.WriteAllText(_file, "\uFEFF# comment\n\n  A=x = \"y\" \nPATH\nDOCKERLESS_SURELY_UNSET\nB=\n");
        Assert.Equal(["A=x = \"y\" ", $"PATH={Environment.GetEnvironmentVariable("PATH")}", "B="], EnvFile.Read(_file));
    }

    [Theory]
    [InlineData("A=1\nBAD NAME=2\n", ":2: variable 'BAD NAME' contains whitespaces")]
    [InlineData("=value\n", ":1: no variable name on line '=value'")]
    public void A_bad_line_is_named_by_file_and_line(string content, string message)
    {
        File.WriteAllText(_file, content);
        Assert.Equal(_file + message, Assert.Throws<UsageException>(() => EnvFile.Read(_file)).Message);
    }
}
