using Dockerless.Dockerfiles;

namespace Dockerless.Tests.Dockerfiles;

/// <summary>RUN --mount values, read and checked as BuildKit reads them (its commands_runmount.go rules).</summary>
public class RunMountTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["CACHE"] = "/root/.cache", ["UID"] = "1000" };

    private static IReadOnlyList<RunMount> Mounts(string flags, string fileName = "Dockerfile")
    {
        var stages = InstructionParser.Parse(DockerfileParser.Parse($"FROM a\n\nRUN {flags} make\n"));
        var run = Assert.IsType<RunInstruction>(stages.Stages[0].Instructions.Single());
        return run.ParseMounts(text => new ShellLexer().ProcessWord(text, Variables), fileName);
    }

    [Fact]
    public void Reads_each_mount_type_with_its_defaults()
    {
        var mounts = Mounts(
            "--mount=type=cache,target=$CACHE,id=pip,sharing=LOCKED,uid=$UID,mode=0700 " +
            "--mount=type=secret,id=token,env=TOKEN,required " +
            "--mount=from=build,source=/out,target=/in " +
            "--mount=type=tmpfs,dst=/tmp,size=64m " +
            "--mount=type=ssh,rw " +
            // Quotes reach the CSV reader only escaped: the flag reader removes bare ones.
            "--mount=type=bind,\\\"target=/a,b\\\"");

        Assert.Equal(new RunMount { Type = "cache", Target = "/root/.cache", Id = "pip", Sharing = "locked", Uid = 1000, Mode = 448, ReadOnly = false }, mounts[0]);
        Assert.Equal(new RunMount { Type = "secret", Id = "token", Env = "TOKEN", Required = true, ReadOnly = true }, mounts[1]);
        Assert.Equal(new RunMount { From = "build", Source = "/out", Target = "/in", ReadOnly = true }, mounts[2]);
        Assert.Equal(new RunMount { Type = "tmpfs", Target = "/tmp", SizeLimit = 64L << 20 }, mounts[3]);
        Assert.Equal(new RunMount { Type = "ssh", ReadOnly = false }, mounts[4]);
        Assert.Equal(new RunMount { Target = "/a,b", ReadOnly = true }, mounts[5]);
    }

    [Theory]
    [InlineData("--mount=type=nfs", "unsupported mount type \"nfs\"")]
    [InlineData("--mount=type=cahce", "unsupported mount type \"cahce\" (did you mean cache?)")]
    [InlineData("--mount=type=cache,sharing=all", "unsupported sharing value \"all\"")]
    [InlineData("--mount=type=bind,targt=/x", "unexpected key 'targt' in 'targt=/x' (did you mean target?)")]
    [InlineData("--mount=required,type=secret,id=x", "unexpected key 'required' for mount type 'bind'")]
    [InlineData("--mount=type=cache,size=1m", "unexpected key 'size' for mount type 'cache'")]
    [InlineData("--mount=type=tmpfs,size=lots", "invalid value for size: lots")]
    [InlineData("--mount=type=cache,ro=maybe", "invalid value for ro: maybe")]
    [InlineData("--mount=type=cache,mode=9", "invalid value 9 for mode")]
    [InlineData("--mount=type=bind,uid=1", "uid not allowed for \"bind\" type mounts")]
    [InlineData("--mount=type=secret", "invalid secret mount. one of source, target required")]
    [InlineData("--mount=type=secret,id=a,source=b", "both source and id can't be set")]
    [InlineData("--mount=type=secret,id=a,from=b", "secret mount should not have a from")]
    [InlineData("--mount=type=bind,sharing=shared", "invalid cache sharing set for bind mount")]
    [InlineData("--mount=type=bind,nonsense", "invalid field 'nonsense' must be a key=value pair")]
    public void Refuses_a_bad_mount_at_the_instruction_line(string flags, string reason)
    {
        var error = Assert.Throws<DockerfileSyntaxException>(() => Mounts(flags, "app.Dockerfile"));

        Assert.Equal($"app.Dockerfile:3: {reason}", error.Message);
    }

    [Theory]
    [InlineData("--mount=from=$STAGE", "'from' doesn't support variable expansion, define alias stage instead")]
    [InlineData("--mount=target=\\\"a", "failed to parse csv mounts: parse error on line 1, column 8: bare \" in non-quoted-field")]
    [InlineData("--mount=\\\"a\\\"b", "failed to parse csv mounts: parse error on line 1, column 3: extraneous or missing \" in quoted-field")]
    [InlineData("--mount=\\\"a", "failed to parse csv mounts: parse error on line 1, column 2: extraneous or missing \" in quoted-field")]
    [InlineData("--mount=", "failed to parse csv mounts: EOF")]
    public void Refuses_what_BuildKit_refuses_before_expansion(string flags, string reason)
    {
        var error = Assert.Throws<DockerfileSyntaxException>(() => InstructionParser.Parse(DockerfileParser.Parse($"FROM a\nRUN {flags} x\n")));

        Assert.Equal($"Dockerfile:2: {reason}", error.Message);
    }

    [Fact]
    public void Accepts_a_dollar_at_the_end_of_from()
    {
        Assert.Equal("a$", Mounts("--mount=from=a$").Single().From);
    }
}
