using System.Net;

namespace Dockerless.Distribution;

/// <summary>
/// A registry refused or failed a request. <see cref="Code"/> is the registry's own error code
/// (<c>MANIFEST_UNKNOWN</c>, <c>NAME_UNKNOWN</c>, <c>BLOB_UNKNOWN</c>, <c>UNAUTHORIZED</c>,
/// <c>DENIED</c>, <c>TOOMANYREQUESTS</c>, ...) when the response carried one.
/// </summary>
public sealed class RegistryException : DockerlessException
{
    /// <summary>Creates the exception; the message names the operation, registry, repository, status and code.</summary>
    public RegistryException(string operation, string registry, string? repository, HttpStatusCode? statusCode, string? code, string? detail, Exception? innerException = null)
        : base(Describe(operation, registry, repository, statusCode, code, detail), innerException)
    {
        Operation = operation;
        Registry = registry;
        Repository = repository;
        StatusCode = statusCode;
        Code = code;
    }

    /// <summary>What was being done: <c>get manifest</c>, <c>upload blob</c>, ...</summary>
    public string Operation { get; }

    /// <summary>The registry host.</summary>
    public string Registry { get; }

    /// <summary>The repository, when the request concerned one.</summary>
    public string? Repository { get; }

    /// <summary>The HTTP status, or null when no response came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The registry's first error code, or null when the body carried none.</summary>
    public string? Code { get; }

    private static string Describe(string operation, string registry, string? repository, HttpStatusCode? status, string? code, string? detail)
    {
        var where = repository is null ? registry : $"{registry}/{repository}";
        var what = status is { } s ? $"HTTP {(int)s} {s}" : "no response";
        var codeText = code is null ? "" : $" {code}";
        var detailText = string.IsNullOrEmpty(detail) ? "" : $": {detail}";
        return $"{operation} {where}: {what}{codeText}{detailText}";
    }
}
