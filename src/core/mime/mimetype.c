#include "core/mime/mimetype.h"

#include <string.h>

typedef struct ext_type {
	const char *ext;
	const char *type;
} ext_type;

/* The types people attach every day; IANA names where one exists. Text types
 * get no charset: attachments are sent byte for byte and we cannot know it. */
static const ext_type types[] = {
	{"7z", "application/x-7z-compressed"},
	{"aac", "audio/aac"},
	{"avi", "video/x-msvideo"},
	{"avif", "image/avif"},
	{"bmp", "image/bmp"},
	{"bz2", "application/x-bzip2"},
	{"css", "text/css"},
	{"csv", "text/csv"},
	{"doc", "application/msword"},
	{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{"epub", "application/epub+zip"},
	{"flac", "audio/flac"},
	{"gif", "image/gif"},
	{"gz", "application/gzip"},
	{"heic", "image/heic"},
	{"htm", "text/html"},
	{"html", "text/html"},
	{"ico", "image/vnd.microsoft.icon"},
	{"ics", "text/calendar"},
	{"jpe", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"jpg", "image/jpeg"},
	{"js", "text/javascript"},
	{"json", "application/json"},
	{"key", "application/vnd.apple.keynote"},
	{"m4a", "audio/mp4"},
	{"m4v", "video/mp4"},
	{"md", "text/markdown"},
	{"mid", "audio/midi"},
	{"midi", "audio/midi"},
	{"mkv", "video/x-matroska"},
	{"mov", "video/quicktime"},
	{"mp3", "audio/mpeg"},
	{"mp4", "video/mp4"},
	{"mpeg", "video/mpeg"},
	{"mpg", "video/mpeg"},
	{"numbers", "application/vnd.apple.numbers"},
	{"odg", "application/vnd.oasis.opendocument.graphics"},
	{"odp", "application/vnd.oasis.opendocument.presentation"},
	{"ods", "application/vnd.oasis.opendocument.spreadsheet"},
	{"odt", "application/vnd.oasis.opendocument.text"},
	{"oga", "audio/ogg"},
	{"ogg", "audio/ogg"},
	{"ogv", "video/ogg"},
	{"opus", "audio/ogg"},
	{"otf", "font/otf"},
	{"pages", "application/vnd.apple.pages"},
	{"pdf", "application/pdf"},
	{"png", "image/png"},
	{"ppt", "application/vnd.ms-powerpoint"},
	{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	{"rar", "application/vnd.rar"},
	{"rtf", "application/rtf"},
	{"svg", "image/svg+xml"},
	{"tar", "application/x-tar"},
	{"tgz", "application/gzip"},
	{"tif", "image/tiff"},
	{"tiff", "image/tiff"},
	{"ttf", "font/ttf"},
	{"txt", "text/plain"},
	{"vcf", "text/vcard"},
	{"wav", "audio/wav"},
	{"weba", "audio/webm"},
	{"webm", "video/webm"},
	{"webp", "image/webp"},
	{"woff", "font/woff"},
	{"woff2", "font/woff2"},
	{"xls", "application/vnd.ms-excel"},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"xml", "application/xml"},
	{"xz", "application/x-xz"},
	{"zip", "application/zip"},
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

const char *mailer_mime_type_for_name(const char *name, size_t len)
{
	char ext[8];
	size_t i, dot = len, n;

	while (dot > 0 && name[dot - 1] != '.' && name[dot - 1] != '/') {
		dot--;
	}
	/* no dot, a dot-file such as ".profile", or an extension too long for the table */
	if (dot < 2 || name[dot - 1] != '.' || name[dot - 2] == '/' || len - dot >= sizeof(ext) ||
		len == dot) {
		return "application/octet-stream";
	}
	n = len - dot;
	for (i = 0; i < n; i++) {
		ext[i] = lower(name[dot + i]);
	}
	ext[n] = '\0';
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(types[i].ext, ext) == 0) {
			return types[i].type;
		}
	}
	return "application/octet-stream";
}

/* RFC 2045 §5.1 token: printable ASCII except SPACE and tspecials. */
static int is_token_char(unsigned char c)
{
	return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?=", c);
}

int mailer_mime_type_valid(const char *value, size_t len)
{
	size_t i = 0, start;

	start = i;
	while (i < len && is_token_char((unsigned char)value[i])) {
		i++;
	}
	if (i == start || i == len || value[i] != '/') {
		return 0;
	}
	start = ++i;
	while (i < len && is_token_char((unsigned char)value[i])) {
		i++;
	}
	if (i == start) {
		return 0;
	}
	while (i < len && (value[i] == ' ' || value[i] == '\t')) {
		i++;
	}
	if (i < len && value[i] != ';') {
		return 0;
	}
	/* parameters are the caller's business, but they stay printable ASCII on one line */
	for (; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		if ((c < 32 && c != '\t') || c >= 127) {
			return 0;
		}
	}
	return 1;
}
