namespace Dockerless.Tests.Auth;

public class RegistryCredentialTests
{
    [Fact]
    public void ToString_names_the_user_and_hides_every_secret()
    {
        var credential = new RegistryCredential { Username = "alice", Password = "pw-123", IdentityToken = "refresh-456", RegistryToken = "bearer-789" };

        var text = credential.ToString();

        Assert.Contains("alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh-456", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bearer-789", text, StringComparison.Ordinal);
        Assert.Contains("Password = ***", text, StringComparison.Ordinal);
        Assert.Equal($"{credential}", text);
    }

    [Fact]
    public void Empty_secrets_read_as_none()
    {
        Assert.Equal("RegistryCredential { Username = (none), Password = (none), IdentityToken = (none), RegistryToken = (none) }", new RegistryCredential().ToString());
        Assert.True(new RegistryCredential().IsEmpty);
        Assert.False(new RegistryCredential { RegistryToken = "t" }.IsEmpty);
    }
}
