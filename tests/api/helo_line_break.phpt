--TEST--
Option "helo" with a line break or NUL, even among host-name characters only ("a.example\r\nRSET"), is a ValueError at construction: nothing can be injected into EHLO
--EXTENSIONS--
mailer
--FILE--
<?php
foreach (["a.example\r\nRSET", "a.example\nQUIT", "a.example\rQUIT", "a.example\0x", "[127.0.0.1]\r\n"] as $helo) {
    try {
        new Mailer('mail.invalid', 25, '', '', false, ['helo' => $helo]);
        echo "accepted\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
// the same names without the line break are fine
new Mailer('mail.invalid', 25, '', '', false, ['helo' => 'a.example']);
new Mailer('mail.invalid', 25, '', '', false, ['helo' => '[127.0.0.1]']);
echo "ok\n";
?>
--EXPECT--
Mailer::__construct(): Argument #6 ($options) option "helo" must be a host name or an address literal
Mailer::__construct(): Argument #6 ($options) option "helo" must be a host name or an address literal
Mailer::__construct(): Argument #6 ($options) option "helo" must be a host name or an address literal
Mailer::__construct(): Argument #6 ($options) option "helo" must be a host name or an address literal
Mailer::__construct(): Argument #6 ($options) option "helo" must be a host name or an address literal
ok
