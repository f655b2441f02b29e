<?php
/*
 * SmtpTestServer, AUTH (RFC 4954): the command, its refusals, and one method per SASL
 * mechanism, each returning [ok, user], an error reply, or null when the connection is
 * lost: PLAIN, LOGIN, CRAM-MD5, XOAUTH2, SCRAM-SHA-256 (RFC 5802/7677) and OAUTHBEARER
 * (RFC 7628). A mechanism works only when the EHLO reply in force offers it. With
 * "auth_tokens", XOAUTH2 and OAUTHBEARER check the token against that list (valid or
 * expired) instead of auth_pass: an expired token gets the mechanism's error challenge and 535,
 * as Google and Microsoft answer one.
 */

declare(strict_types=1);

trait SmtpTestServerAuth
{
    private function cmdAuth(string $line, string $arg): bool
    {
        $plan = $this->plan('AUTH', $line);
        if ($plan === false) {
            return false;
        }
        if ($plan[0] !== null) {
            $r = $this->send($plan, '');
            if ($r !== false && str_starts_with($r, '235')) {
                $this->authed = '(scripted)';
            }
            return $r !== false;
        }
        $p = explode(' ', $arg, 2);
        $mech = strtoupper($p[0]);
        $ir = $p[1] ?? null;
        $mechs = $this->capParams('AUTH');
        $err = match (true) {
            $mechs === null => '503 5.5.1 Error: authentication not enabled',
            $this->authed !== null => '503 5.5.1 Error: already authenticated',
            $this->mailFrom !== null => '503 5.5.1 Error: MAIL transaction in progress',
            $this->c['tls_require'] && !$this->tls => '530 5.7.0 Must issue a STARTTLS command first',
            !in_array($mech, $mechs, true)
                || !in_array($mech, ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'SCRAM-SHA-256', 'OAUTHBEARER'], true)
                => '504 5.5.4 Unrecognized authentication type',
            default => null,
        };
        if ($err !== null) {
            return $this->reply($err) !== false;
        }
        $res = match ($mech) {
            'PLAIN' => $this->authPlain($ir),
            'LOGIN' => $this->authLogin($ir),
            'CRAM-MD5' => $this->authCram(),
            'XOAUTH2' => $this->authXoauth2($ir),
            'SCRAM-SHA-256' => $this->authScram($ir),
            'OAUTHBEARER' => $this->authOauthbearer($ir),
        };
        if ($res === null) {
            return false;
        }
        if (is_string($res)) {
            return $this->reply($res) !== false;
        }
        $r = $this->step('AUTH_RESULT', $line, $res[0]
            ? '235 2.7.0 Authentication successful' : '535 5.7.8 Error: authentication failed');
        if ($r !== false && str_starts_with($r, '235')) {
            $this->authed = (string)$res[1];
        }
        return $r !== false;
    }

    /** Sends a 334 challenge and returns the client's line (null: connection lost). */
    private function challenge(string $text): ?string
    {
        if ($this->reply("334 $text") === false) {
            return null;
        }
        $l = $this->commandLine();
        if ($l !== null && strlen($l) + 2 > 12288) {
            $n = strlen($l) + 2;
            $this->violation('line_length', "SASL response of $n octets (at most 12288, RFC 4954 4)");
        }
        $this->answering = ['a SASL response', false, 'pipelining'];
        return $l;
    }

    private static function b64(string $s): ?string
    {
        $d = $s === '=' ? '' : base64_decode($s, true);
        return $d === false ? null : $d;
    }

    private function credsOk(?string $user, ?string $pass): bool
    {
        return $this->c['auth_user'] !== null && $this->c['auth_pass'] !== null
            && $user === (string)$this->c['auth_user'] && $pass === (string)$this->c['auth_pass'];
    }

    /** A bearer token for the account: from auth_tokens (token => true valid, false expired) when given. */
    private function tokenOk(?string $user, ?string $token): bool
    {
        $tokens = (array)$this->c['auth_tokens'];
        if ($tokens === []) {
            return $this->credsOk($user, $token);
        }
        return $this->c['auth_user'] !== null && $user === (string)$this->c['auth_user']
            && $token !== null && ($tokens[$token] ?? false) === true;
    }

    /** @return array{bool, ?string}|string|null [ok, user], an error reply, or null if lost */
    private function authPlain(?string $ir): array|string|null
    {
        $ir ??= $this->challenge('');
        if ($ir === null || $ir === '*') {
            return $ir === null ? null : self::ABORT;
        }
        $d = self::b64($ir);
        if ($d === null) {
            return self::BADB64;
        }
        $p = explode("\0", $d);
        if (count($p) !== 3) {
            return [false, null];
        }
        return [$this->credsOk($p[1], $p[2]) && ($p[0] === '' || $p[0] === $p[1]), $p[1]];
    }

    private function authLogin(?string $ir): array|string|null
    {
        $u = $ir ?? $this->challenge('VXNlcm5hbWU6');
        if ($u === null || $u === '*') {
            return $u === null ? null : self::ABORT;
        }
        $user = self::b64($u);
        if ($user === null) {
            return self::BADB64;
        }
        $p = $this->challenge('UGFzc3dvcmQ6');
        if ($p === null || $p === '*') {
            return $p === null ? null : self::ABORT;
        }
        $pass = self::b64($p);
        return $pass === null ? self::BADB64 : [$this->credsOk($user, $pass), $user];
    }

    private function authCram(): array|string|null
    {
        $ch = (string)$this->c['cram_challenge'];
        $l = $this->challenge(base64_encode($ch));
        if ($l === null || $l === '*') {
            return $l === null ? null : self::ABORT;
        }
        $d = self::b64($l);
        if ($d === null) {
            return self::BADB64;
        }
        $p = explode(' ', $d, 2);
        $want = hash_hmac('md5', $ch, (string)$this->c['auth_pass']);
        return [$this->credsOk($p[0], (string)$this->c['auth_pass'])
            && hash_equals($want, $p[1] ?? ''), $p[0]];
    }

    private function authXoauth2(?string $ir): array|string|null
    {
        $ir ??= $this->challenge('');
        if ($ir === null || $ir === '*') {
            return $ir === null ? null : self::ABORT;
        }
        $d = self::b64($ir);
        if ($d === null) {
            return self::BADB64;
        }
        $ok = (bool)preg_match('/^user=([^\x01]*)\x01auth=Bearer ([^\x01]*)\x01\x01$/D', $d, $m);
        $ok = $ok && $this->tokenOk($m[1], $m[2]);
        if (!$ok && $this->challenge(base64_encode(
            '{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}')) === null) {
            return null;
        }
        return [$ok, $m[1] ?? null];
    }

    /** SCRAM-SHA-256 (RFC 5802/7677), server side, from auth_pass. */
    private function authScram(?string $ir): array|string|null
    {
        $ir ??= $this->challenge('');
        if ($ir === null || $ir === '*') {
            return $ir === null ? null : self::ABORT;
        }
        $first = self::b64($ir);
        if ($first === null || !preg_match('/^n,,(n=([^,]*),r=([^,]+))$/D', $first, $m)) {
            return self::BADB64;
        }
        [, $clientFirstBare, $user, $cnonce] = $m;
        $user = str_replace(['=2C', '=3D'], [',', '='], $user);
        $salt = 'mailer-test-salt';
        $iter = (int)$this->c['scram_iterations'];
        $nonce = $cnonce . 'srv' . bin2hex(random_bytes(8));
        $serverFirst = 'r=' . $nonce . ',s=' . base64_encode($salt) . ',i=' . $iter;
        $l = $this->challenge(base64_encode($serverFirst));
        if ($l === null || $l === '*') {
            return $l === null ? null : self::ABORT;
        }
        $final = self::b64($l);
        if ($final === null || !preg_match('/^(c=biws,r=([^,]+)),p=(.+)$/D', $final, $f)) {
            return self::BADB64;
        }
        $salted = hash_pbkdf2('sha256', (string)$this->c['auth_pass'], $salt, $iter, 32, true);
        $clientKey = hash_hmac('sha256', 'Client Key', $salted, true);
        $authMessage = "$clientFirstBare,$serverFirst,$f[1]";
        $signature = hash_hmac('sha256', $authMessage, hash('sha256', $clientKey, true), true);
        $expected = base64_encode($clientKey ^ $signature);
        $ok = $f[2] === $nonce && hash_equals($expected, $f[3]) && $user === (string)$this->c['auth_user'];
        if (!$ok) {
            return [false, $user];
        }
        if ($this->c['scram_no_proof']) {
            return [true, $user]; // 235 at once: the server never shows it knows the password
        }
        $serverSig = hash_hmac('sha256', $authMessage, hash_hmac('sha256', 'Server Key', $salted, true), true);
        if ($this->c['scram_bad_signature']) {
            $serverSig = str_repeat("\0", 32);
        }
        $l = $this->challenge(base64_encode('v=' . base64_encode($serverSig)));
        if ($l === null || $l === '*') {
            return $l === null ? null : self::ABORT;
        }
        return [true, $user];
    }

    /** OAUTHBEARER (RFC 7628): the password is the token; errors get a JSON challenge. */
    private function authOauthbearer(?string $ir): array|string|null
    {
        $ir ??= $this->challenge('');
        if ($ir === null || $ir === '*') {
            return $ir === null ? null : self::ABORT;
        }
        $d = self::b64($ir);
        if ($d === null) {
            return self::BADB64;
        }
        $ok = (bool)preg_match('/^n,a=([^,]*),\x01host=[^\x01]+\x01port=\d+\x01auth=Bearer ([^\x01]*)\x01\x01$/D', $d, $m);
        $ok = $ok && $this->tokenOk(str_replace(['=2C', '=3D'], [',', '='], $m[1]), $m[2]);
        if (!$ok && $this->challenge(base64_encode('{"status":"invalid_token","scope":"mail"}')) === null) {
            return null;
        }
        return [$ok, $m[1] ?? null];
    }
}
