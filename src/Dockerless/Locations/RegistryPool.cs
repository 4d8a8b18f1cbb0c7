using System.Collections.Concurrent;

namespace Dockerless.Locations;

/// <summary>
/// One <see cref="Registry"/> client per registry host, made on first use with the options a
/// function gives for that host, and kept until the pool is disposed: images pulled lazily through
/// a pool read their layers through it, so dispose it after them.
/// </summary>
public sealed class RegistryPool : IAsyncDisposable
{
    private readonly Func<string, RegistryOptions> _optionsFor;
    private readonly ConcurrentDictionary<string, Lazy<Registry>> _registries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A pool whose clients use the default <see cref="RegistryOptions"/> (stored credentials, HTTPS, loopback over HTTP).</summary>
    public RegistryPool() : this(static _ => new RegistryOptions()) { }

    /// <summary>A pool whose clients all use <paramref name="defaults"/>, each with its own <see cref="RegistryOptions.Address"/>.</summary>
    public RegistryPool(RegistryOptions defaults) : this(OptionsFrom(defaults)) { }

    /// <summary>A pool that asks <paramref name="optionsFor"/> for the options of each host (its <see cref="RegistryOptions.Address"/> is set to the host).</summary>
    public RegistryPool(Func<string, RegistryOptions> optionsFor)
    {
        ArgumentNullException.ThrowIfNull(optionsFor);
        _optionsFor = optionsFor;
    }

    private static Func<string, RegistryOptions> OptionsFrom(RegistryOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return _ => defaults;
    }

    /// <summary>The client for <paramref name="host"/> (as <see cref="ImageReference.Registry"/> names it: <c>docker.io</c>, <c>127.0.0.1:5000</c>).</summary>
    public Registry Get(string host)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        return _registries.GetOrAdd(host, h => new Lazy<Registry>(() => new Registry(_optionsFor(h) with { Address = h }))).Value;
    }

    /// <summary>Closes every client.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var registry in _registries.Values.Where(r => r.IsValueCreated)) await registry.Value.DisposeAsync().ConfigureAwait(false);
        _registries.Clear();
    }
}
