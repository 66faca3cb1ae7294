namespace Piramid.Terraform.Provider.Api;

/// <summary>A problem+json answer of the Piramid API (or a transport failure, with status 0).</summary>
public sealed class ApiProblemException(int status, string type, string title, string detail)
    : Exception($"{status} {title}: {detail}")
{
    /// <summary>HTTP status; 0 when no answer came.</summary>
    public int Status { get; } = status;

    /// <summary>The stable problem type URI.</summary>
    public string Type { get; } = type;

    /// <summary>The problem's title.</summary>
    public string Title { get; } = title;

    /// <summary>What went wrong with this request.</summary>
    public string Detail { get; } = detail;

    /// <summary>True for 404.</summary>
    public bool IsNotFound => Status == 404;
}
