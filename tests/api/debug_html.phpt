--TEST--
debug() outside the CLI: HTML-escaped inside <p>...</p>, as the original class printed it
--EXTENSIONS--
mailer
--CGI--
--FILE--
<?php
$m = new Mailer('mail.invalid', 25, '', '', true);
$m->debug('S: 250 <script>alert("x")</script> & more');
?>
--EXPECT--
<p>debug: S: 250 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</p>
