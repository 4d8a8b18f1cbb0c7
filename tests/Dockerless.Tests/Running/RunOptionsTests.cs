using Dockerless.Running;

namespace Dockerless.Tests.Running;

public class RunOptionsTests
{
    [Theory]
    [InlineData("/host:/ctr", "/host", "/ctr", false)]
    [InlineData("/host:/ctr:ro", "/host", "/ctr", true)]
    [InlineData("/host:/ctr:rw", "/host", "/ctr", false)]
    public void A_volume_parses_as_dockers_short_form(string value, string source, string destination, bool readOnly)
        => Assert.Equal(new BindMount(source, destination, readOnly), BindMount.Parse(value));

    [Theory]
    [InlineData("/host", "expected HOST:CONTAINER")]
    [InlineData("/host:/ctr:rx", "unknown mode \"rx\"")]
    [InlineData("name:/ctr", "named volume")]
    [InlineData("/host:ctr", "is not absolute")]
    public void A_bad_volume_says_what_is_wrong(string value, string message)
        => Assert.Contains(message, Assert.Throws<FormatException>(() => BindMount.Parse(value)).Message, StringComparison.Ordinal);

    [Fact]
    public void With_nothing_installed_the_error_names_everything_looked_for_and_what_to_install()
        => Assert.Equal(
            "nothing to run a container with: looked for docker, podman, runc and crun on PATH; install one (apt-get install runc)",
            new RuntimeNotFoundException(["docker", "podman", "runc", "crun"], "install one (apt-get install runc)").Message);

    [Fact]
    public void A_runtime_that_is_not_installed_is_not_found()
        => Assert.Equal("no OCI runtime found: looked for no-such-runtime on PATH; install one (apt-get install runc, or crun)",
            Assert.Throws<RuntimeNotFoundException>(() => OciRuntime.Find("no-such-runtime")).Message);

    [Theory]
    [InlineData("exec: \"x\": executable file not found in $PATH", 127)]
    [InlineData("executable file `x` not found in $PATH: No such file or directory", 127)]
    [InlineData("exec: \"/etc/passwd\": permission denied", 126)]
    [InlineData("open executable: Permission denied", 126)]
    [InlineData("mount /x: no such file or directory", 125)]
    public void A_runtime_failure_exits_with_dockers_code(string message, int exitCode)
        => Assert.Equal(exitCode, new ContainerStartException("runc", message).ExitCode);
}
