namespace Dockerless.Dockerfiles;

/// <summary>One <c>key=value</c> of ENV or LABEL, as written (quotes and escapes are removed by expansion).</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value.</param>
/// <param name="IsLegacyForm">True for the legacy form <c>ENV key value</c> (no <c>=</c>), where the value is the rest of the line.</param>
public sealed record KeyValue(string Key, string Value, bool IsLegacyForm);
