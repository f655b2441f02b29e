/* Internationalised domain names: U-labels to A-labels ("xn--" + Punycode,
 * RFC 3492 / RFC 5891), for servers without SMTPUTF8. Only ASCII letters are
 * lower-cased; full IDNA2008 mapping (NFC, case folding) is not applied. A
 * utility: the session converts envelope domains, the message writer header
 * addresses (mailer_address_list_to_alabels), the glue DKIM domains. */
#ifndef MAILER_CORE_UTIL_IDNA_H
#define MAILER_CORE_UTIL_IDNA_H

#include "core/util/status.h"

#include "core/util/buf.h"

#include <stddef.h>

/* Appends the A-label form of a UTF-8 domain to out; ASCII labels are copied.
 * MAILER_OK, or MAILER_FAIL for invalid UTF-8 or a label too long once encoded. */
mailer_status mailer_idna_to_ascii(const char *domain, size_t len, mailer_buf *out);
/* Punycode of one label's code points (RFC 3492 §6.3), without the "xn--" prefix. */
mailer_status mailer_punycode_encode(const unsigned int *cps, size_t n, mailer_buf *out);

#endif
