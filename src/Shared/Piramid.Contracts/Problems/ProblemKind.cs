namespace Piramid.Contracts.Problems;

/// <summary>
/// One kind of problem every process answers the same way (RFC 9457): the stable <c>type</c> URI clients switch
/// on, its one title, and its status. The <c>detail</c> varies per occurrence; these three never do.
/// </summary>
/// <param name="Type">Stable type URI, from <see cref="ProblemTypes"/>.</param>
/// <param name="Title">The one title of this type, whichever process answers.</param>
/// <param name="Status">The HTTP status this type is answered with.</param>
public sealed record ProblemKind(string Type, string Title, int Status);
