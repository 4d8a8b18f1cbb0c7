namespace Dockerless.Cli.Commands;

/// <summary>Setting one variable in a config's <c>Env</c> list (<c>NAME=value</c> strings).</summary>
internal static class EnvironmentList
{
    /// <summary>
    /// Sets <paramref name="key"/> to the value in <paramref name="pair"/>: an existing variable is
    /// replaced where it stands, a new one goes last. Docker's ENV, BuildKit, crane mutate --env and
    /// umoci config --config.env all keep the order so; moving the variable to the end would give
    /// another config (and digest) than they give for the same edit. Later entries of the same name
    /// (a config may repeat one) are dropped, so that the value set is the only one a process sees.
    /// </summary>
    public static void Set(IList<string> env, string key, string pair)
    {
        var first = FirstOf(env, key);
        if (first < 0)
        {
            env.Add(pair);
            return;
        }
        env[first] = pair;
        for (var i = env.Count - 1; i > first; i--)
        {
            if (IsOf(env[i], key)) env.RemoveAt(i);
        }
    }

    /// <summary>The index of the first entry that is variable <paramref name="key"/>, or -1.</summary>
    private static int FirstOf(IList<string> env, string key)
    {
        for (var i = 0; i < env.Count; i++)
        {
            if (IsOf(env[i], key)) return i;
        }
        return -1;
    }

    /// <summary>Whether <paramref name="entry"/> is variable <paramref name="key"/> (<c>KEY=...</c>, or a bare <c>KEY</c>).</summary>
    private static bool IsOf(string entry, string key)
        => entry.StartsWith(key, StringComparison.Ordinal) && (entry.Length == key.Length || entry[key.Length] == '=');
}
