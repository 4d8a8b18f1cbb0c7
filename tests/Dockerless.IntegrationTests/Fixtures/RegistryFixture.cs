namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// One real registry shared by the tests of a class (<c>IClassFixture&lt;RegistryFixture&gt;</c>),
/// for tests that use repositories of their own and assert nothing about the whole registry.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private RegistryProcess? _server;

    /// <summary>The running registry.</summary>
    public RegistryProcess Server => _server ?? throw new InvalidOperationException("the registry has not started");

    public async Task InitializeAsync() => _server = await RegistryProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
