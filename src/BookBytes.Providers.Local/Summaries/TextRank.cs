using System.Collections.Frozen;
using System.Runtime.InteropServices;

namespace BookBytes.Providers.Local.Summaries;

/// <summary>
/// TextRank (Mihalcea and Tarau, 2004) over sentences: a graph whose edge between two sentences is the cosine similarity
/// of their TF-IDF vectors, ranked by PageRank with damping <see cref="Damping"/>. Terms are lower-cased runs of letters
/// and digits of two characters or more, stop words left out, a plural <c>s</c> folded; the IDF is <c>ln(n / df)</c> over
/// the given sentences, so a term in every sentence weighs nothing. Vectors are sparse (sorted term ids) and similarities
/// are accumulated through an inverted index, so only sentences sharing a term are compared; the graph is kept as sparse
/// rows of its upper half. Everything runs in a fixed order (term ids by first appearance, rows by position), so the same
/// sentences always give the same scores. Stateless and thread-safe.
/// </summary>
internal static class TextRank
{
    /// <summary>The damping factor of PageRank.</summary>
    public const double Damping = 0.85;

    /// <summary>The iteration stops once no score moves by more than this.</summary>
    public const double Tolerance = 1e-7;

    /// <summary>The iteration stops after this many rounds even if not converged (0.85^100 ≈ 1e-7: it has by then).</summary>
    public const int MaxIterations = 100;

    /// <summary>Scores sentences by their centrality.</summary>
    /// <param name="sentences">The sentences.</param>
    /// <param name="stopWords">The words that are not terms.</param>
    /// <param name="cancellationToken">A token that cancels the ranking.</param>
    /// <returns>The score of each sentence, in the order given; a sentence sharing no term with another scores <c>1 - d</c>.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static double[] Rank(IReadOnlyList<string> sentences, FrozenSet<string> stopWords, CancellationToken cancellationToken = default)
    {
        var vectors = Vectors(sentences, stopWords, out var postings, cancellationToken);
        var rows = Similarities(vectors, postings, cancellationToken);
        return PageRank(rows, cancellationToken);
    }

    /// <summary>The terms of a sentence, in order.</summary>
    /// <param name="sentence">The sentence.</param>
    /// <param name="stopWords">The words that are not terms.</param>
    /// <returns>The normalised terms.</returns>
    public static List<string> Terms(string sentence, FrozenSet<string> stopWords)
    {
        var terms = new List<string>();
        var i = 0;
        while (i < sentence.Length)
        {
            if (!char.IsLetterOrDigit(sentence[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < sentence.Length && (char.IsLetterOrDigit(sentence[i]) || char.GetUnicodeCategory(sentence[i]) == System.Globalization.UnicodeCategory.NonSpacingMark))
            {
                i++;
            }

            if (i - start < 2)
            {
                continue;
            }

            var word = sentence[start..i].ToLowerInvariant();
            if (!stopWords.Contains(word))
            {
                terms.Add(Normalize(word));
            }
        }

        return terms;
    }

    // A light fold of the commonest inflection across the supported languages (bees/bee, maisons/maison), without a stemmer.
    private static string Normalize(string word)
        => word.Length >= 4 && word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i') ? word[..^1] : word;

    private static (int[] Terms, double[] Weights)[] Vectors(
        IReadOnlyList<string> sentences, FrozenSet<string> stopWords, out List<(int Sentence, double Weight)>[] postings, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new (int[] Terms, int[] Counts)[sentences.Count];
        var documentFrequency = new List<int>();
        for (var s = 0; s < sentences.Count; s++)
        {
            if ((s & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var terms = Terms(sentences[s], stopWords);
            var termIds = new int[terms.Count];
            for (var t = 0; t < terms.Count; t++)
            {
                ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, terms[t], out var exists);
                if (!exists)
                {
                    id = ids.Count - 1;
                    documentFrequency.Add(0);
                }

                termIds[t] = id;
            }

            Array.Sort(termIds);
            var distinct = new List<int>();
            var frequency = new List<int>();
            foreach (var id in termIds)
            {
                if (distinct.Count > 0 && distinct[^1] == id)
                {
                    frequency[^1]++;
                }
                else
                {
                    distinct.Add(id);
                    frequency.Add(1);
                    documentFrequency[id]++;
                }
            }

            counts[s] = ([.. distinct], [.. frequency]);
        }

        postings = new List<(int Sentence, double Weight)>[ids.Count];
        var vectors = new (int[] Terms, double[] Weights)[sentences.Count];
        double n = sentences.Count;
        for (var s = 0; s < sentences.Count; s++)
        {
            var (terms, frequency) = counts[s];
            var kept = new List<int>(terms.Length);
            var weights = new List<double>(terms.Length);
            double norm = 0;
            for (var t = 0; t < terms.Length; t++)
            {
                var weight = frequency[t] * Math.Log(n / documentFrequency[terms[t]]);
                if (weight > 0)
                {
                    kept.Add(terms[t]);
                    weights.Add(weight);
                    norm += weight * weight;
                }
            }

            norm = Math.Sqrt(norm);
            var vector = (kept.ToArray(), weights.Select(w => w / norm).ToArray());
            vectors[s] = vector;
            for (var t = 0; t < vector.Item1.Length; t++)
            {
                (postings[vector.Item1[t]] ??= []).Add((s, vector.Item2[t]));
            }
        }

        return vectors;
    }

    /// <summary>
    /// Each sentence's similar later sentences (cosine above zero), by position: the upper half of the symmetric matrix,
    /// in single precision, so the densest graph the sentence cap allows (2,000 sentences all alike) stays near 16 MB.
    /// </summary>
    private static (int[] Others, float[] Weights)[] Similarities(
        (int[] Terms, double[] Weights)[] vectors, List<(int Sentence, double Weight)>[] postings, CancellationToken cancellationToken)
    {
        var n = vectors.Length;
        var rows = new (int[] Others, float[] Weights)[n];
        var sums = new double[n];
        var seen = new bool[n];
        var touched = new List<int>();
        for (var i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (terms, weights) = vectors[i];
            for (var t = 0; t < terms.Length; t++)
            {
                var posting = postings[terms[t]];

                // Postings are in sentence order: start past i.
                var k = posting.BinarySearch((i, double.MaxValue), SentenceOrder.Instance);
                for (k = k < 0 ? ~k : k + 1; k < posting.Count; k++)
                {
                    var (j, weight) = posting[k];
                    if (!seen[j])
                    {
                        seen[j] = true;
                        touched.Add(j);
                    }

                    sums[j] += weights[t] * weight;
                }
            }

            touched.Sort();
            var others = new int[touched.Count];
            var similarities = new float[touched.Count];
            for (var k = 0; k < touched.Count; k++)
            {
                var j = touched[k];
                others[k] = j;
                similarities[k] = (float)sums[j];
                sums[j] = 0;
                seen[j] = false;
            }

            rows[i] = (others, similarities);
            touched.Clear();
        }

        return rows;
    }

    /// <summary>Weighted PageRank on the symmetric graph: WS(i) = (1 - d) + d · Σ_j w_ji / Σ_k w_jk · WS(j).</summary>
    private static double[] PageRank((int[] Others, float[] Weights)[] upper, CancellationToken cancellationToken)
    {
        var n = upper.Length;
        var outWeight = new double[n];
        for (var i = 0; i < n; i++)
        {
            var (others, weights) = upper[i];
            for (var k = 0; k < others.Length; k++)
            {
                outWeight[i] += weights[k];
                outWeight[others[k]] += weights[k];
            }
        }

        var scores = new double[n];
        Array.Fill(scores, 1.0);
        var sums = new double[n];
        var share = new double[n];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var j = 0; j < n; j++)
            {
                share[j] = outWeight[j] > 0 ? scores[j] / outWeight[j] : 0;
            }

            Array.Clear(sums);
            for (var i = 0; i < n; i++)
            {
                var (others, weights) = upper[i];
                var sum = 0.0;
                var shareOfI = share[i];
                for (var k = 0; k < others.Length; k++)
                {
                    var j = others[k];
                    sum += weights[k] * share[j];
                    sums[j] += weights[k] * shareOfI;
                }

                sums[i] += sum;
            }

            var change = 0.0;
            for (var i = 0; i < n; i++)
            {
                var next = (1 - Damping) + (Damping * sums[i]);
                change = Math.Max(change, Math.Abs(next - scores[i]));
                scores[i] = next;
            }

            if (change < Tolerance)
            {
                break;
            }
        }

        return scores;
    }

    private sealed class SentenceOrder : IComparer<(int Sentence, double Weight)>
    {
        public static readonly SentenceOrder Instance = new();

        public int Compare((int Sentence, double Weight) x, (int Sentence, double Weight) y) => x.Sentence.CompareTo(y.Sentence);
    }
}
