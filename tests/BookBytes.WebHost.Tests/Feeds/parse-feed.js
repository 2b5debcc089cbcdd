// Reads an RSS feed on stdin with rss-parser (the npm package pinned in tools/package.json, as podcast apps'
// parsers read it) and prints what it understood as JSON: the channel's itunes fields and every item's enclosure.
const Parser = require('rss-parser');

let xml = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { xml += chunk; });
process.stdin.on('end', async () => {
  try {
    const parser = new Parser({ customFields: { item: ['itunes:episode', 'itunes:episodeType'], feed: ['itunes:type'] } });
    const feed = await parser.parseString(xml);
    process.stdout.write(JSON.stringify(feed));
  } catch (error) {
    process.stderr.write(String(error && error.stack || error));
    process.exit(1);
  }
});
