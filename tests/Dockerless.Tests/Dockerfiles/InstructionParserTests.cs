using Dockerless.Dockerfiles;

namespace Dockerless.Tests.Dockerfiles;

/// <summary>Typed instructions and stages, with BuildKit's checks and messages.</summary>
public class InstructionParserTests
{
    private static DockerfileStages Stages(string text) => InstructionParser.Parse(DockerfileParser.Parse(text));

    private static T Single<T>(string instruction) where T : Instruction =>
        Assert.IsType<T>(Stages("FROM scratch\n" + instruction).Stages[0].Instructions.Single());

    private static string Refusal(string text) =>
        Assert.Throws<DockerfileSyntaxException>(() => Stages(text)).Message;

    [Fact]
    public void Groups_global_args_and_stages()
    {
        var stages = Stages("ARG BASE=alpine\nARG V\nFROM --platform=$BUILDPLATFORM ${BASE} AS Build\nARG V\nRUN make\nFROM scratch\nCOPY --from=build /out /\n");

        Assert.Equal(["BASE", "V"], stages.GlobalArgs.SelectMany(a => a.Arguments).Select(a => a.Name));
        Assert.Equal(2, stages.Stages.Count);
        var build = stages.Stages[0];
        Assert.Equal(("build", "${BASE}", "$BUILDPLATFORM", 0), (build.Name, build.From.BaseName, build.From.Platform, build.Index));
        Assert.Equal(["ARG", "RUN"], build.Instructions.Select(i => i.Name));
        Assert.Same(build, stages.Find("BUILD"));
        Assert.Same(stages.Stages[1], stages.Find("1"));
        Assert.Null(stages.Find("2"));
        Assert.Equal("build", Assert.IsType<CopyInstruction>(stages.Stages[1].Instructions.Single()).From);
        Assert.Equal("FROM --platform=$BUILDPLATFORM ${BASE} AS Build", build.From.ToString());
    }

    [Theory]
    [InlineData("FROM a\nFOOBAR x\n", "Dockerfile:2: unknown instruction: FOOBAR")]
    [InlineData("FROM a\nFNTRYPOINT x\n", "Dockerfile:2: unknown instruction: FNTRYPOINT (did you mean ENTRYPOINT?)")]
    [InlineData("FROM a\nentrpoint x\n", "Dockerfile:2: unknown instruction: entrpoint (did you mean entrypoint?)")]
    [InlineData("RUN x\n", "Dockerfile:1: no build stage in current context")]
    [InlineData("FROM a b\n", "Dockerfile:1: FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1x\n", "Dockerfile:1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols")]
    [InlineData("FROM --plaform=x a\n", "Dockerfile:1: unknown flag: --plaform (did you mean platform?)")]
    [InlineData("FROM a\nCOPY --chwon=1 a b\n", "Dockerfile:2: unknown flag: --chwon (did you mean chown?)")]
    [InlineData("FROM a\nCOPY --from=a --from=b x y\n", "Dockerfile:2: duplicate flag specified: --from")]
    [InlineData("FROM a\nCOPY --from x y\n", "Dockerfile:2: missing a value on flag: --from")]
    [InlineData("FROM a\nCOPY --link= x y\n", "Dockerfile:2: missing a value on flag: --link")]
    [InlineData("FROM a\nCOPY --link=yes x y\n", "Dockerfile:2: expecting boolean value for flag --link, not: yes")]
    [InlineData("FROM a\nCOPY --exclude x y\n", "Dockerfile:2: missing a value on flag: --exclude")]
    [InlineData("FROM a\nCOPY x\n", "Dockerfile:2: COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM a\nADD \\\n  x\n", "Dockerfile:2: ADD requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM a\nCOPY x <<EOF\nEOF\n", "Dockerfile:2: COPY cannot accept a heredoc as a destination")]
    [InlineData("FROM a\nENV\n", "Dockerfile:2: ENV requires at least one argument")]
    [InlineData("FROM a\nENV =x\n", "Dockerfile:2: ENV names can not be blank")]
    [InlineData("FROM a\nENV --x=1 a=b\n", "Dockerfile:2: unknown flag: --x")]
    [InlineData("FROM a\nLABEL\n", "Dockerfile:2: LABEL requires at least one argument")]
    [InlineData("FROM a\nARG\n", "Dockerfile:2: ARG requires at least one argument")]
    [InlineData("FROM a\nARG =x\n", "Dockerfile:2: ARG names can not be blank")]
    [InlineData("FROM a\nUSER\n", "Dockerfile:2: USER requires exactly one argument")]
    [InlineData("FROM a\nWORKDIR\n", "Dockerfile:2: WORKDIR requires exactly one argument")]
    [InlineData("FROM a\nMAINTAINER\n", "Dockerfile:2: MAINTAINER requires exactly one argument")]
    [InlineData("FROM a\nSTOPSIGNAL\n", "Dockerfile:2: STOPSIGNAL requires exactly one argument")]
    [InlineData("FROM a\nEXPOSE\n", "Dockerfile:2: EXPOSE requires at least one argument")]
    [InlineData("FROM a\nVOLUME\n", "Dockerfile:2: VOLUME requires at least one argument")]
    [InlineData("FROM a\nVOLUME [\"/a\", \" \"]\n", "Dockerfile:2: VOLUME specified can not be an empty string")]
    [InlineData("FROM a\nSHELL\n", "Dockerfile:2: SHELL requires at least one argument")]
    [InlineData("FROM a\nSHELL bash -c\n", "Dockerfile:2: SHELL requires the arguments to be in JSON form")]
    [InlineData("FROM a\nONBUILD\n", "Dockerfile:2: ONBUILD requires at least one argument")]
    [InlineData("FROM a\nONBUILD ONBUILD RUN x\n", "Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("FROM a\nONBUILD from b\n", "Dockerfile:2: FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("FROM a\nONBUILD MAINTAINER b\n", "Dockerfile:2: MAINTAINER isn't allowed as an ONBUILD trigger")]
    [InlineData("FROM a\nRUN --network=bridge x\n", "Dockerfile:2: invalid network mode \"bridge\"")]
    [InlineData("FROM a\nRUN --security=root x\n", "Dockerfile:2: security \"root\" is not valid")]
    [InlineData("FROM a\nRUN --mount x\n", "Dockerfile:2: missing a value on flag: --mount")]
    [InlineData("FROM a\nHEALTHCHECK\n", "Dockerfile:2: HEALTHCHECK requires at least one argument")]
    [InlineData("FROM a\nHEALTHCHECK NONE x\n", "Dockerfile:2: HEALTHCHECK NONE takes no arguments")]
    [InlineData("FROM a\nHEALTHCHECK CMD\n", "Dockerfile:2: Missing command after HEALTHCHECK CMD")]
    [InlineData("FROM a\nHEALTHCHECK CONNECT TCP 7000\n", "Dockerfile:2: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)")]
    [InlineData("FROM a\nHEALTHCHECK --interval=500us CMD x\n", "Dockerfile:2: Interval \"interval\" cannot be less than 1ms")]
    [InlineData("FROM a\nHEALTHCHECK --timeout=5 CMD x\n", "Dockerfile:2: time: missing unit in duration \"5\"")]
    [InlineData("FROM a\nHEALTHCHECK --timeout=5y CMD x\n", "Dockerfile:2: time: unknown unit \"y\" in duration \"5y\"")]
    [InlineData("FROM a\nHEALTHCHECK --timeout=x CMD x\n", "Dockerfile:2: time: invalid duration \"x\"")]
    [InlineData("FROM a\nHEALTHCHECK --retries=-1 CMD x\n", "Dockerfile:2: --retries cannot be negative (-1)")]
    [InlineData("FROM a\nHEALTHCHECK --retries=x CMD x\n", "Dockerfile:2: strconv.ParseInt: parsing \"x\": invalid syntax")]
    [InlineData("FROM a\nHEALTHCHECK --start-perod=1s CMD x\n", "Dockerfile:2: unknown flag: --start-perod (did you mean start-period?)")]
    public void Refuses_with_the_line_and_BuildKits_words(string text, string message)
    {
        Assert.Equal(message, Refusal(text));
    }

    [Fact]
    public void Reads_env_label_and_arg_pairs()
    {
        Assert.Equal(
            [new KeyValue("A", "1", false), new KeyValue("B", "\"2 3\"", false)],
            Single<EnvInstruction>("ENV A=1 B=\"2 3\"").Variables);
        Assert.Equal([new KeyValue("A", "1 2", true)], Single<EnvInstruction>("ENV A 1 2").Variables);
        Assert.Equal([new KeyValue("org.opencontainers.image.title", "app", false)], Single<LabelInstruction>("LABEL org.opencontainers.image.title=app").Labels);
        Assert.Equal(
            [new ArgDeclaration("a", null), new ArgDeclaration("b", "2"), new ArgDeclaration("c", "")],
            Single<ArgInstruction>("ARG a b=2 c=").Arguments);
    }

    [Fact]
    public void Reads_the_shell_and_exec_forms_of_commands()
    {
        var shellForm = Single<CmdInstruction>("CMD echo $HOME").Command;
        Assert.Equal(["echo $HOME"], shellForm.Arguments);
        Assert.True(shellForm.IsShellForm);
        Assert.Equal(["a", "b"], Single<CmdInstruction>("CMD [\"a\", \"b\"]").Command.Arguments);
        Assert.Empty(Single<CmdInstruction>("CMD []").Command.Arguments);
        Assert.False(Single<EntrypointInstruction>("ENTRYPOINT []").Command.IsShellForm);
        Assert.Equal(["/bin/bash", "-c"], Single<ShellInstruction>("SHELL [\"/bin/bash\", \"-c\"]").Shell);

        var run = Single<RunInstruction>("RUN --mount=type=cache,target=/c --mount=type=secret,id=s --network=none <<EOF\necho hi\nEOF");
        Assert.Equal(["type=cache,target=/c", "type=secret,id=s"], run.Mounts);
        Assert.Equal(("none", "sandbox"), (run.Network, run.Security));
        Assert.Equal(["<<EOF"], run.Command.Arguments);
        Assert.Equal("echo hi\n", run.Command.Heredocs.Single().Content);
        Assert.Equal(("default", "sandbox"), (Single<RunInstruction>("RUN x").Network, Single<RunInstruction>("RUN x").Security));
    }

    [Fact]
    public void Reads_healthcheck_options_in_nanoseconds()
    {
        var check = Single<HealthcheckInstruction>("HEALTHCHECK --interval=1m30s --timeout=1.5s --start-period=250ms --start-interval=0s --retries=3 CMD curl -f http://localhost/");

        Assert.Equal(["CMD-SHELL", "curl -f http://localhost/"], check.Test);
        Assert.Equal((90_000_000_000L, 1_500_000_000L, 250_000_000L, 0L, 3), (check.IntervalNanoseconds, check.TimeoutNanoseconds, check.StartPeriodNanoseconds, check.StartIntervalNanoseconds, check.Retries));
        Assert.Equal(["CMD", "curl", "-f"], Single<HealthcheckInstruction>("HEALTHCHECK CMD [\"curl\", \"-f\"]").Test);
        Assert.True(Single<HealthcheckInstruction>("HEALTHCHECK --bogus NONE").IsNone);
    }

    [Fact]
    public void Reads_copy_and_add_options_and_inline_files()
    {
        var copy = Single<CopyInstruction>("COPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md --exclude=.git a b/ /dest/");
        Assert.Equal(("build", "app:app", "0755", true, true), (copy.From, copy.Chown, copy.Chmod, copy.Link, copy.Parents));
        Assert.Equal(["*.md", ".git"], copy.Excludes);
        Assert.Equal(["a", "b/"], copy.Files.Sources);
        Assert.Equal("/dest/", copy.Files.Destination);

        var inline = Single<CopyInstruction>("COPY <<-one <<'two' x /dest/\n\tfirst $A\none\nsecond $A\ntwo").Files;
        Assert.Equal(["x"], inline.Sources);
        Assert.Equal([new InlineSource("one", "first $A\n", true), new InlineSource("two", "second $A\n", false)], inline.InlineSources);

        var add = Single<AddInstruction>("ADD --checksum=sha256:abc --keep-git-dir=false --unpack https://example.com/a.tgz /x");
        Assert.Equal(("sha256:abc", (bool?)false, (bool?)true, false, (string?)null), (add.Checksum, add.KeepGitDirectory, add.Unpack, add.Link, add.Chown));
        Assert.Null(Single<AddInstruction>("ADD a b").Unpack);
    }

    [Fact]
    public void Reads_onbuild_triggers_as_the_config_stores_them()
    {
        var onbuild = Single<OnBuildInstruction>("onbuild   RUN echo $X");
        Assert.Equal("RUN echo $X", onbuild.Expression);
        Assert.Equal("RUN", onbuild.Trigger.Instruction);

        var withHeredoc = Single<OnBuildInstruction>("ONBUILD COPY <<EOF /f\nbody\nEOF");
        Assert.Equal("COPY <<EOF /f\nbody\nEOF", withHeredoc.Expression);
        var reparsed = InstructionParser.Parse(DockerfileParser.Parse(withHeredoc.Expression).Nodes.Single());
        Assert.Equal("body\n", Assert.IsType<CopyInstruction>(reparsed).Files.InlineSources.Single().Data);
    }

    [Fact]
    public void Reads_the_single_value_and_list_instructions()
    {
        Assert.Equal("app:app", Single<UserInstruction>("USER app:app").User);
        Assert.Equal("/srv/app", Single<WorkdirInstruction>("WORKDIR /srv/app").Path);
        Assert.Equal("SIGQUIT", Single<StopSignalInstruction>("STOPSIGNAL --ignored SIGQUIT").Signal);
        Assert.Equal("Jane <jane@example.com>", Single<MaintainerInstruction>("MAINTAINER Jane <jane@example.com>").Maintainer);
        Assert.Equal(["443/tcp", "53/udp", "80"], Single<ExposeInstruction>("EXPOSE 80 53/udp 443/tcp").Ports);
        Assert.Equal(["/data", "/logs"], Single<VolumeInstruction>("VOLUME [\"/data \", \"/logs\"]").Volumes);
    }

    [Theory]
    [MemberData(nameof(ParserConformanceTests.PositiveCases), MemberType = typeof(ParserConformanceTests))]
    public void BuildKits_testfiles_pass_the_instruction_checks_unless_BuildKit_refuses_them(string name)
    {
        BuildKitSuite.RequirePresent(name);
        var dockerfile = DockerfileParser.Parse(File.ReadAllText(BuildKitSuite.PathOf("parser", "testfiles", name, "Dockerfile")));
        // Parser-only cases that BuildKit's instruction checks refuse too.
        var refusal = name switch
        {
            "flags" => "unknown flag: --user",
            "health" => "HEALTHCHECK requires at least one argument",
            "json" or "jeztah-invalid-json-json-inside-string" or "jeztah-invalid-json-json-inside-string-double"
                or "jeztah-invalid-json-single-quotes" or "jeztah-invalid-json-unterminated-bracket"
                or "jeztah-invalid-json-unterminated-string" => "no build stage in current context",
            _ => null,
        };

        if (refusal is null)
        {
            Assert.NotEmpty(InstructionParser.Parse(dockerfile).Stages);
        }
        else
        {
            Assert.StartsWith(refusal, Assert.Throws<DockerfileSyntaxException>(() => InstructionParser.Parse(dockerfile)).Reason, StringComparison.Ordinal);
        }
    }
}
