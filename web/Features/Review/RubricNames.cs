using System.Data.Common;
using CallReview.Db;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>
/// A criterion's names in other languages are kept by its id, and a new rubric version gives every criterion a new
/// id: publishing carries them over to the criteria whose stored words did not change (a changed title or guidance
/// needs new names, and until it has them readers see the stored words). Sections are named by their text, so they
/// need nothing.
/// </summary>
public static class RubricNames
{
    /// <remarks>The words are compared letter for letter on both engines (SQL Server's default collation would carry
    /// "Tone"'s names to a criterion retitled "tone").</remarks>
    public static Task CarryOverAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, int fromVersionId, int toVersionId) =>
        connection.ExecuteAsync(
            $"""
            INSERT INTO ContentName (Kind, Code, Culture, Name)
            SELECT n.Kind, {ContentNames.IdCode("t.Id")}, n.Culture, n.Name
            FROM RubricCriterion t
            JOIN ContentName n ON n.Kind IN ('{ContentNames.Criterion}', '{ContentNames.Guidance}')
             AND n.Code = (SELECT {ContentNames.IdCode("MIN(f.Id)")} FROM RubricCriterion f
                           WHERE f.RubricVersionId = @fromVersionId
                             AND {dialect.ExactlyEquals(
                                 $"(CASE WHEN n.Kind = '{ContentNames.Criterion}' THEN f.Title ELSE f.Guidance END)",
                                 $"(CASE WHEN n.Kind = '{ContentNames.Criterion}' THEN t.Title ELSE t.Guidance END)")})
            WHERE t.RubricVersionId = @toVersionId
            """, new { fromVersionId, toVersionId }, tx);
}
