<html><body>
<p>Bonjour {{ $name }},</p>
<p><img src="{{ $message->embed($logoPath) }}" alt="logo"></p>
<p>votre facture est jointe.</p>
</body></html>
