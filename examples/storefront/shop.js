// The shop itself: a cart in localStorage and a little rendering. It knows nothing about
// analytics: the data-ct-* attributes it writes are all clicktrail needs.
(function () {
  var KEY = 'storefront-cart';
  var byId = {};
  PRODUCTS.forEach(function (p) { byId[p.id] = p; });
  var $ = function (s) { return document.querySelector(s); };
  var money = function (n) { return '€' + n.toFixed(2); };
  var esc = function (s) { return String(s).replace(/[&<>"]/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); };

  function cart() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(lines) {
    localStorage.setItem(KEY, JSON.stringify(lines));
    var n = lines.reduce(function (s, l) { return s + l.qty; }, 0);
    var badge = $('#cart-count');
    if (badge) badge.textContent = n;
  }
  function change(id, by) {
    var lines = cart();
    var line = lines.filter(function (l) { return l.id === id; })[0];
    if (!line) lines.push((line = { id: id, qty: 0 }));
    line.qty += by;
    save(lines.filter(function (l) { return l.qty > 0; }));
  }
  function qtyOf(id) {
    var l = cart().filter(function (x) { return x.id === id; })[0];
    return l ? l.qty : 0;
  }
  // The item attributes clicktrail reads, for one product.
  function itemAttrs(p, qty) {
    return 'data-ct-item-id="' + p.id + '" data-ct-item-name="' + esc(p.name) + '" data-ct-price="' + p.price.toFixed(2) +
      '" data-ct-currency="EUR" data-ct-brand="' + esc(p.brand) + '" data-ct-category="' + esc(p.category) +
      '" data-ct-variant="' + esc(p.variant) + '"' + (qty ? ' data-ct-quantity="' + qty + '"' : '');
  }
  function card(p) {
    return '<li class="card" ' + itemAttrs(p) + '>' +
      '<a href="/product.html?id=' + p.id + '" data-ct-event="select_item">' +
      '<span class="img" style="background:' + p.colour + '"></span><strong>' + esc(p.name) + '</strong></a>' +
      '<span class="price">' + money(p.price) + '</span>' +
      '<button class="add" data-ct-event="add_to_cart" data-ct-quantity="1" data-add="' + p.id + '">Add to cart</button></li>';
  }

  var pages = {
    home: function () {
      $('#featured').innerHTML = PRODUCTS.filter(function (p) { return p.featured; }).map(card).join('');
      $('#more').innerHTML = PRODUCTS.filter(function (p) { return !p.featured; }).map(card).join('');
      document.querySelector('main').addEventListener('click', function (e) {
        var b = e.target.closest('[data-add]');
        if (b) change(b.getAttribute('data-add'), 1);
      });
    },
    product: function () {
      var p = byId[new URLSearchParams(location.search).get('id')] || PRODUCTS[0];
      var main = $('#product');
      document.title = p.name + ' · Storefront';
      main.outerHTML =
        '<main id="product" class="product" data-ct-view="view_item" ' + itemAttrs(p) + '>' +
        '<span class="img big" style="background:' + p.colour + '"></span><div>' +
        '<h1>' + esc(p.name) + '</h1><p class="brand">' + esc(p.brand) + ' · ' + esc(p.category) + '</p>' +
        '<p class="price">' + money(p.price) + '</p>' +
        '<label>Quantity <input id="qty" type="number" min="1" value="1"></label> ' +
        '<button id="add" class="primary" data-ct-event="add_to_cart" data-ct-quantity="1">Add to cart</button>' +
        '<p id="in-cart" class="qty" hidden>In your cart: ' +
        '<button id="minus" data-ct-event="remove_from_cart" data-ct-quantity="1" aria-label="one less">−</button> ' +
        '<output id="count"></output> ' +
        '<button id="plus" data-ct-event="add_to_cart" data-ct-quantity="1" aria-label="one more">+</button> ' +
        '<a href="/cart.html">View cart</a></p></div></main>';
      var show = function () {
        var n = qtyOf(p.id);
        $('#in-cart').hidden = !n;
        $('#count').textContent = n;
      };
      $('#qty').addEventListener('input', function () {
        var n = Math.max(1, parseInt(this.value, 10) || 1);
        $('#add').setAttribute('data-ct-quantity', n);
      });
      $('#add').addEventListener('click', function () {
        change(p.id, Math.max(1, parseInt($('#qty').value, 10) || 1));
        show();
      });
      $('#plus').addEventListener('click', function () { change(p.id, 1); show(); });
      $('#minus').addEventListener('click', function () { change(p.id, -1); show(); });
      show();
    },
    cart: function () {
      var render = function () {
        var lines = cart();
        var total = 0;
        $('#lines').innerHTML = lines.map(function (l) {
          var p = byId[l.id];
          total += p.price * l.qty;
          return '<li class="line" ' + itemAttrs(p, l.qty) + '><span class="img small" style="background:' + p.colour + '"></span>' +
            '<a href="/product.html?id=' + p.id + '">' + esc(p.name) + '</a>' +
            '<span class="qty"><button data-ct-event="remove_from_cart" data-ct-quantity="1" data-by="-1" aria-label="one less">−</button> ' +
            l.qty + ' <button data-ct-event="add_to_cart" data-ct-quantity="1" data-by="1" aria-label="one more">+</button></span>' +
            '<span class="price">' + money(p.price * l.qty) + '</span>' +
            '<button class="link" data-ct-event="remove_from_cart" data-by="-' + l.qty + '">Remove</button></li>';
        }).join('') || '<li class="empty">Your cart is empty. <a href="/">Go shopping</a></li>';
        $('#total').textContent = money(total);
        $('#checkout').hidden = !lines.length;
      };
      $('#lines').addEventListener('click', function (e) {
        var b = e.target.closest('button[data-by]');
        if (!b) return;
        change(b.closest('[data-ct-item-id]').getAttribute('data-ct-item-id'), +b.getAttribute('data-by'));
        render();
      });
      render();
    },
    checkout: function () {
      var lines = cart();
      var total = 0;
      $('#order').innerHTML = lines.map(function (l) {
        var p = byId[l.id];
        total += p.price * l.qty;
        return '<li ' + itemAttrs(p, l.qty) + '>' + l.qty + ' × ' + esc(p.name) + ' <span class="price">' + money(p.price * l.qty) + '</span></li>';
      }).join('');
      var shipping = lines.length ? 4.9 : 0;
      $('#total').textContent = money(total + shipping);
      var order = 'SO-' + Date.now().toString(36).toUpperCase();
      var pay = $('#pay');
      var form = $('#checkout-form');
      form.setAttribute('data-ct-transaction-id', order);
      form.setAttribute('data-ct-shipping', shipping.toFixed(2));
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        pay.disabled = true;
        pay.textContent = 'Processing…';
        // A simulated payment, as in the Shopcart template: a short wait, then the success page.
        setTimeout(function () {
          localStorage.setItem('storefront-last-order', JSON.stringify({ order: order, lines: lines }));
          save([]);
          location.href = '/success.html?orderNumber=' + order;
        }, 300);
      });
    },
    success: function () {
      $('#order-number').textContent = new URLSearchParams(location.search).get('orderNumber') || '';
    },
  };
  save(cart());
  var page = document.body.getAttribute('data-page');
  if (pages[page]) pages[page]();
})();
