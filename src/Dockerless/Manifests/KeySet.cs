using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// A set of strings in the order they were added, written as Docker writes its port and volume
/// sets: a JSON object with a key per item and an empty object as each value. A value read that is
/// not an empty object (Docker's never are) is kept with its key and written back while the key
/// stays in the set. Each change made through it is stamped.
/// </summary>
[JsonConverter(typeof(KeySetJsonConverter))]
internal sealed class KeySet : TrackedCollection, ISet<string>
{
    // Each key with its value as read, or null for the empty object.
    private readonly OrderedDictionary<string, JsonElement?> _entries = new(StringComparer.Ordinal);

    /// <summary>An empty set.</summary>
    public KeySet()
    {
    }

    /// <summary>A set of <paramref name="keys"/>, with the values read of those another <see cref="KeySet"/> holds.</summary>
    public KeySet(IEnumerable<string> keys)
    {
        if (keys is KeySet other)
        {
            foreach (var (key, value) in other._entries) _entries.Add(key, value);
            return;
        }
        foreach (var key in keys) Add(key);
    }

    /// <summary>The set a property set to <paramref name="keys"/> holds: a copy, written even when empty; for null, an empty set that is not written.</summary>
    public static KeySet Given(IEnumerable<string>? keys) => keys is null ? new() : new(keys) { WrittenWhenEmpty = true };

    /// <summary>Whether the set is written when empty: it was read or set as a JSON object, if an empty one.</summary>
    public bool WrittenWhenEmpty { get; private init; }

    /// <summary>The set as written: itself, or null (left out) when it is empty and not <see cref="WrittenWhenEmpty"/>.</summary>
    public KeySet? Written => Count > 0 || WrittenWhenEmpty ? this : null;

    /// <summary>Each key with the value read for it, null for the empty object, in order.</summary>
    public IEnumerable<KeyValuePair<string, JsonElement?>> Entries => _entries;

    /// <summary>Adds <paramref name="key"/> as read with <paramref name="value"/>; a key read twice keeps its place and takes the later value.</summary>
    public void AddRead(string key, JsonElement? value) => _entries[key] = value;

    public int Count => _entries.Count;

    public bool IsReadOnly => false;

    public bool Add(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Edited(_entries.TryAdd(item, null));
    }

    void ICollection<string>.Add(string item) => Add(item);

    public bool Remove(string item) => Edited(_entries.Remove(item));

    public void Clear() { _entries.Clear(); Edited(); }

    public bool Contains(string item) => _entries.ContainsKey(item);

    public void CopyTo(string[] array, int arrayIndex) => _entries.Keys.CopyTo(array, arrayIndex);

    public IEnumerator<string> GetEnumerator() => _entries.Keys.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void UnionWith(IEnumerable<string> other)
    {
        foreach (var item in Distinct(other)) Add(item);
    }

    public void ExceptWith(IEnumerable<string> other)
    {
        foreach (var item in Distinct(other)) Remove(item);
    }

    public void IntersectWith(IEnumerable<string> other)
    {
        var keep = Distinct(other);
        foreach (var item in _entries.Keys.Where(k => !keep.Contains(k)).ToList()) Remove(item);
    }

    public void SymmetricExceptWith(IEnumerable<string> other)
    {
        foreach (var item in Distinct(other))
        {
            if (!Remove(item)) Add(item);
        }
    }

    public bool IsSubsetOf(IEnumerable<string> other) => Distinct(other).IsSupersetOf(_entries.Keys);

    public bool IsProperSubsetOf(IEnumerable<string> other) => Distinct(other).IsProperSupersetOf(_entries.Keys);

    public bool IsSupersetOf(IEnumerable<string> other) => Distinct(other).IsSubsetOf(_entries.Keys);

    public bool IsProperSupersetOf(IEnumerable<string> other) => Distinct(other).IsProperSubsetOf(_entries.Keys);

    public bool Overlaps(IEnumerable<string> other) => Distinct(other).Overlaps(_entries.Keys);

    public bool SetEquals(IEnumerable<string> other) => Distinct(other).SetEquals(_entries.Keys);

    // The other collection as a set: read once, in its order, whatever it is (it may be this set).
    private static HashSet<string> Distinct(IEnumerable<string> other) => new(other, StringComparer.Ordinal);
}
