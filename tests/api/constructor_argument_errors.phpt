--TEST--
Constructor: each bad argument is reported against its own position (a NUL in the password is argument #4, not #3)
--EXTENSIONS--
mailer
--FILE--
<?php
$cases = [
    'NUL in host' => ["mail\0.invalid", 25, '', ''],
    'port 0' => ['mail.invalid', 0, '', ''],
    'NUL in user' => ['mail.invalid', 25, "us\0er", ''],
    'CR in user' => ['mail.invalid', 25, "us\rer", ''],
    'LF in user' => ['mail.invalid', 25, "us\ner", ''],
    'NUL in password' => ['mail.invalid', 25, 'user', "pa\0ss"],
    'NUL in password, user empty' => ['mail.invalid', 25, '', "pa\0ss"],
    'NUL in both' => ['mail.invalid', 25, "us\0er", "pa\0ss"],
];
foreach ($cases as $what => [$host, $port, $user, $pass]) {
    try {
        new Mailer($host, $port, $user, $pass);
        echo "$what: accepted\n";
    } catch (ValueError $e) {
        echo "$what: ", $e->getMessage(), "\n";
    }
}
// CR and LF are fine in a password (every mechanism encodes it): accepted, nothing connected
var_dump((new Mailer('mail.invalid', 25, 'user', "pa\r\nss"))->isConnected());
?>
--EXPECT--
NUL in host: Mailer::__construct(): Argument #1 ($host) host contains a NUL byte
port 0: Mailer::__construct(): Argument #2 ($port) must be between 1 and 65535
NUL in user: Mailer::__construct(): Argument #3 ($user) must not contain NUL, CR or LF bytes
CR in user: Mailer::__construct(): Argument #3 ($user) must not contain NUL, CR or LF bytes
LF in user: Mailer::__construct(): Argument #3 ($user) must not contain NUL, CR or LF bytes
NUL in password: Mailer::__construct(): Argument #4 ($pass) must not contain NUL bytes
NUL in password, user empty: Mailer::__construct(): Argument #4 ($pass) must not contain NUL bytes
NUL in both: Mailer::__construct(): Argument #3 ($user) must not contain NUL, CR or LF bytes
bool(false)
