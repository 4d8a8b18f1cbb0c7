using System.Text.Json;
using Dockerless.Running;

namespace Dockerless.Tests.Running;

/// <summary>A profile in docker's format turned into the runtime-spec's for one container.</summary>
public class SeccompProfileTests
{
    private const string Profile = """
        {
          "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
          "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
          "syscalls": [
            {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
            {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
            {"names": ["mount"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
            {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
            {"names": ["s390_only"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390x"]}},
            {"names": ["new_one"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "99.0"}},
            {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}
          ]
        }
        """;

    [Fact]
    public void Rules_are_kept_for_the_containers_capabilities_architecture_and_kernel()
    {
        using var document = JsonDocument.Parse(Profile);
        var seccomp = SeccompProfile.Convert(document.RootElement, ["CAP_CHOWN"], "amd64", new Version(6, 1));
        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        Assert.Equal(1u, seccomp.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], seccomp.Architectures);
        Assert.Equal(
            ["read,write SCMP_ACT_ALLOW", "mount SCMP_ACT_ERRNO 1", "arch_prctl SCMP_ACT_ALLOW", "personality SCMP_ACT_ALLOW 0=8"],
            seccomp.Syscalls.Select(r => $"{string.Join(',', r.Names)} {r.Action}{(r.ErrnoRet is { } e ? $" {e}" : "")}{(r.Args is { } a ? " " + string.Join(' ', a.Select(x => $"{x.Index}={x.Value}")) : "")}"));
    }

    [Fact]
    public void A_container_with_sys_admin_gets_the_rules_that_include_it()
    {
        using var document = JsonDocument.Parse(Profile);
        var seccomp = SeccompProfile.Convert(document.RootElement, ["CAP_SYS_ADMIN"], "arm64", new Version(6, 1));
        Assert.Equal(["SCMP_ARCH_AARCH64"], seccomp.Architectures);
        Assert.Contains(seccomp.Syscalls, r => r.Names.SequenceEqual(["mount"]) && r.Action == "SCMP_ACT_ALLOW");
        Assert.DoesNotContain(seccomp.Syscalls, r => r.Names.Contains("arch_prctl"));
    }
}
